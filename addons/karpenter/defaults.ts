/**
 * Karpenter's defaults, read by the environment file schema (config/schema.ts):
 * the pinned chart version of `karpenter-crd` and `karpenter`. Pure data, no
 * imports, so the config layer may read it. A bump is checked against the
 * compatibility table (config/compatibility.ts) and the reference chart.
 */
export const KARPENTER_DEFAULTS = {
  chartVersion: "1.14.1",
} as const;
