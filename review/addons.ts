/**
 * The review's cluster add-ons: for each add-on of addons/catalog.ts whose
 * releases the synthesized stacks install, its charts and pinned versions,
 * so a reviewer sees which add-ons an environment gets and a version bump
 * reads as one line per add-on.
 */
import { ADDON_CATALOG, AddonName } from "../addons/catalog";
import { ofType, type ResourceEntry } from "../tfjson/stack-json";

export interface AddonChartSetting {
  readonly address: string;
  readonly release: string;
  readonly chart: string;
  readonly repository: string | null;
  /** Null for a chart of this project (read from its path). */
  readonly version: string | null;
  readonly namespace: string;
}

export interface AddonSetting {
  readonly addon: AddonName;
  readonly description: string;
  /** The environment file switch (`karpenter.enabled`). */
  readonly switch: string;
  readonly releases: readonly AddonChartSetting[];
}

const text = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);

/** The add-ons with at least one release in the stacks, in install order, releases in the catalog's chart order. */
export function addonSettings(all: readonly ResourceEntry[]): AddonSetting[] {
  const releases = ofType(all, "helm_release");
  const out: AddonSetting[] = [];
  for (const addon of ADDON_CATALOG) {
    const found = addon.charts.flatMap((chart) =>
      releases
        .filter((r) => r.config.name === chart.releaseName)
        .map((r) => ({
          address: r.address,
          release: chart.releaseName,
          chart: text(r.config.chart) ?? chart.chart,
          repository: text(r.config.repository),
          version: text(r.config.version),
          namespace: text(r.config.namespace) ?? chart.namespace,
        })),
    );
    if (found.length > 0) out.push({ addon: addon.name, description: addon.description, switch: addon.switch, releases: found });
  }
  return out;
}

/** Addresses of the releases that belong to an add-on (the review lists the others as plain charts). */
export function addonReleaseAddresses(addons: readonly AddonSetting[]): Set<string> {
  return new Set(addons.flatMap((a) => a.releases.map((r) => r.address)));
}
