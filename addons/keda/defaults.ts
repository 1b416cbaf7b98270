/** KEDA's pinned chart version (config/schema.ts reads it); 2.20 is the line tested with Kubernetes 1.33-1.35. Pure data, no imports. */
export const KEDA_DEFAULTS = {
  chartVersion: "2.20.2",
} as const;
