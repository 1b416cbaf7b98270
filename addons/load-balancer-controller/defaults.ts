/** The load balancer controller's pinned chart version (config/schema.ts reads it). Pure data, no imports. */
export const LOAD_BALANCER_CONTROLLER_DEFAULTS = {
  chartVersion: "3.5.0",
} as const;
