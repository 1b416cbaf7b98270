import type { AddonCatalogEntry, AddonChart } from "../catalog";
import { kedaEnabled } from "../../config/release-values";

export const KEDA_CHART = {
  releaseName: "keda",
  chart: "keda",
  repository: "https://kedacore.github.io/charts",
  namespace: "keda",
  createNamespace: true,
  placement: "system-nodes",
} as const satisfies AddonChart;

export const KEDA_CATALOG: AddonCatalogEntry = {
  name: "keda",
  description: "KEDA: scales the operator's workers to zero and back with load",
  switch: "keda.enabled",
  charts: [KEDA_CHART],
  // On by default for fresh clusters (config/release-values.ts).
  enabled: (env) => kedaEnabled(env),
  releases: (env) => [{ ...KEDA_CHART, version: env.keda.chartVersion }],
};
