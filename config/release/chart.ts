import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigProblem } from "../errors";
import type { EnvironmentFile } from "../schema";

/**
 * A local chart path must hold a chart: Terraform would otherwise fail only at
 * apply, long after the AWS stack was deployed. Called by the loader, the only
 * code that reads files for configuration.
 */
export function localChartProblems(projectRoot: string, env: Pick<EnvironmentFile, "release">): ConfigProblem[] {
  const chart = env.release.chart;
  if (!env.release.enabled || !chart || !("path" in chart)) return [];
  const file = path.join(projectRoot, chart.path, "Chart.yaml");
  if (fs.existsSync(file)) return [];
  return [
    {
      path: "release.chart.path",
      found: JSON.stringify(chart.path),
      expected: `a directory holding the product chart's Chart.yaml (no ${path.relative(projectRoot, file)}): copy infra/helm/layer of hev layer there, or use the OCI chart (release.chart.repository, docs/install.md)`,
    },
  ];
}
