/**
 * Where a `helm_release`'s chart is on disk. Remote charts (a repository or
 * an `oci://` reference) are looked up by exact name and version in the
 * reference chart folder; local charts resolve relative to the stack's
 * directory, as terraform resolves them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "./helm";

/** `${LAYER_REFERENCE_DIR:-../shared/reference}` relative to the project root. */
export function referenceDir(projectRoot: string = PROJECT_ROOT, environment: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(projectRoot, environment.LAYER_REFERENCE_DIR || "../shared/reference");
}

export interface ChartLocation {
  /** `karpenter 1.14.1` or the local path as the stack writes it. */
  readonly label: string;
  /** The chart directory, when found. */
  readonly dir?: string;
  /** Set when a missing local chart is replaced by the reference chart of the same name. */
  readonly standIn?: string;
  /** Why the chart cannot be rendered (a loud skip). */
  readonly skip?: string;
}

interface ChartMeta {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

const indexCache = new Map<string, ChartMeta[]>();

/** Name and version of every chart folder under `<referenceDir>/charts/`. */
function referenceCharts(refDir: string): ChartMeta[] {
  const cached = indexCache.get(refDir);
  if (cached) return cached;
  const chartsDir = path.join(refDir, "charts");
  const metas: ChartMeta[] = [];
  if (fs.existsSync(chartsDir)) {
    for (const entry of fs.readdirSync(chartsDir).sort()) {
      const chartYaml = path.join(chartsDir, entry, "Chart.yaml");
      if (!fs.existsSync(chartYaml)) continue;
      const meta = parse(fs.readFileSync(chartYaml, "utf8")) as { name?: string; version?: string };
      if (meta?.name && meta.version) metas.push({ name: meta.name, version: String(meta.version), dir: path.join(chartsDir, entry) });
    }
  }
  indexCache.set(refDir, metas);
  return metas;
}

export function locateChart(release: Record<string, any>, stackDir: string, refDir: string): ChartLocation {
  const chart = String(release.chart ?? "");
  const remote = Boolean(release.repository) || chart.startsWith("oci://");
  if (remote) {
    const name = chart.startsWith("oci://") ? chart.replace(/\/+$/, "").split("/").pop()! : chart;
    const version = release.version === undefined ? undefined : String(release.version);
    const label = `${name} ${version ?? "(no version)"}`;
    if (!version) return { label, skip: `chart ${name} has no pinned version, so no exact chart can be found` };
    const match = referenceCharts(refDir).find((m) => m.name === name && m.version === version);
    if (!match) return { label, skip: `chart ${name} ${version} is not in ${path.join(refDir, "charts")}` };
    return { label, dir: match.dir };
  }
  const dir = path.resolve(stackDir, chart);
  if (fs.existsSync(path.join(dir, "Chart.yaml"))) return { label: chart, dir };
  // The product chart lives beside the project (install guide default ../infra/helm/layer);
  // without that checkout the reference copy of the same chart name stands in for it.
  const sameName = referenceCharts(refDir).filter((m) => m.name === path.basename(dir));
  if (sameName.length === 1)
    return {
      label: chart,
      dir: sameName[0].dir,
      standIn: `${chart} is not checked out at ${dir}; rendered the reference chart ${sameName[0].name} ${sameName[0].version} (${sameName[0].dir}) in its place`,
    };
  return { label: chart, skip: `local chart ${chart} not found at ${dir}` };
}
