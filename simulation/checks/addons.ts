/**
 * The cluster add-ons of addons/catalog.ts, one report each: the releases
 * the Helm stack installs for it, how they rendered, and where each of their
 * pods lands. A pod of a chart the catalog places on the system nodes must
 * land only there (a GPU chart only on GPU pool nodes): the catalog, the
 * review and the stacks describe the same cluster.
 */
import { ADDON_CATALOG, AddonName, AddonPlacement } from "../../addons/catalog";
import type { SimulationContext } from "../context";
import type { Finding } from "../model";
import type { NodeShape } from "../nodes";
import type { RenderedRelease } from "../render";
import type { Placement } from "./scheduling";

const ROLE_LABEL = "layer.hev.dev/node-role";

export interface AddonReport {
  readonly addon: AddonName;
  readonly description: string;
  readonly releases: ReadonlyArray<{
    readonly address: string;
    /** `karpenter 1.14.1`, or the local chart path. */
    readonly chart: string;
    readonly placement: AddonPlacement;
    readonly status: "rendered" | "skipped" | "failed";
    readonly objects: number;
  }>;
  readonly workloads: ReadonlyArray<{ readonly workload: string; readonly pods: string; readonly landsOn: readonly string[] }>;
}

function releaseStatus(r: RenderedRelease): "rendered" | "skipped" | "failed" {
  return r.error ? "failed" : r.skip ? "skipped" : "rendered";
}

/** The add-ons whose releases the Helm stack installs, in catalog order. */
export function addonReports(releases: readonly RenderedRelease[], placements: readonly Placement[]): AddonReport[] {
  const reports: AddonReport[] = [];
  for (const addon of ADDON_CATALOG) {
    // In the catalog's chart order, which is the install order.
    const chartIndex = (r: RenderedRelease) => addon.charts.findIndex((c) => c.releaseName === r.name);
    const own = releases.filter((r) => chartIndex(r) >= 0).sort((a, b) => chartIndex(a) - chartIndex(b));
    if (own.length === 0) continue;
    const addresses = new Set(own.map((r) => r.address));
    reports.push({
      addon: addon.name,
      description: addon.description,
      releases: own.map((r) => ({
        address: r.address,
        chart: r.chart,
        placement: addon.charts.find((c) => c.releaseName === r.name)!.placement,
        status: releaseStatus(r),
        objects: r.objects.length,
      })),
      workloads: placements
        .filter((p) => addresses.has(p.workload.origin.address))
        .map((p) => ({
          workload: p.workload.subject,
          pods: p.workload.daemon ? "1 per node" : String(p.workload.replicas),
          landsOn: p.nodes.map((n) => n.id),
        })),
    });
  }
  return reports;
}

const roleOf = (node: NodeShape): readonly string[] => {
  const roles = node.labels[ROLE_LABEL];
  return Array.isArray(roles) ? roles : [];
};

/** The node role a placement allows, or undefined when the chart runs no pods of its own. */
const ALLOWED_ROLE: Record<AddonPlacement, string | undefined> = { "system-nodes": "system", "gpu-nodes": "worker-gpu", "no-pods": undefined };

export function addonPlacementCheck(ctx: SimulationContext, placements: readonly Placement[]): Finding[] {
  const findings: Finding[] = [];
  for (const report of addonReports(ctx.releases, placements)) {
    for (const release of report.releases) {
      const role = ALLOWED_ROLE[release.placement];
      if (!role) continue;
      for (const p of placements.filter((x) => x.workload.origin.address === release.address)) {
        // Nowhere to land (the platform team's nodes) is the scheduling check's finding.
        if (p.nodes.length === 0) continue;
        const elsewhere = p.nodes.filter((n) => !roleOf(n).includes(role) || roleOf(n).length !== 1);
        const where = { subject: p.workload.subject, address: release.address, chart: release.chart };
        findings.push(
          elsewhere.length === 0
            ? {
                check: "addons",
                status: "pass",
                ...where,
                message: `${report.addon}: lands only on ${ROLE_LABEL}=${role} nodes, as addons/catalog.ts places it`,
              }
            : {
                check: "addons",
                status: "fail",
                ...where,
                message: `${report.addon}: the catalog places it on ${ROLE_LABEL}=${role} nodes, but it can also land on ${elsewhere.map((n) => n.id).join(", ")}`,
              },
        );
      }
    }
  }
  return findings;
}
