/**
 * Each pod template lands on some node the stacks create: node selectors,
 * required node affinity, tolerations, GPU requests, a pool's limits and one
 * node's allocatable. In existing-cluster and helm-only mode a pod that fits
 * none of our nodes needs the platform team's nodes: reported as unknown.
 */
import type { SimulationContext } from "../context";
import type { Finding } from "../model";
import type { NodeShape } from "../nodes";
import { placeOn } from "../placement";
import type { Workload } from "../workloads";

export interface Placement {
  readonly workload: Workload;
  /** Shapes the pod can land on. */
  readonly nodes: readonly NodeShape[];
  /** Why each other shape is ruled out. */
  readonly ruledOut: readonly string[];
}

function fitsOneNode(w: Workload, node: NodeShape): string | undefined {
  const a = node.allocatable;
  if (a && (w.capacityRequests.cpuMillicores > a.cpuMillicores || w.capacityRequests.memoryMiB > a.memoryMiB)) {
    return `one pod asks ${w.capacityRequests.cpuMillicores}m CPU / ${Math.round(w.capacityRequests.memoryMiB)} MiB, more than one ${a.instanceType} of ${node.id} can give (${a.cpuMillicores}m / ${a.memoryMiB} MiB)`;
  }
  const l = node.limits;
  if (
    l &&
    ((l.cpuMillicores !== undefined && w.requests.cpuMillicores > l.cpuMillicores) ||
      (l.memoryMiB !== undefined && w.requests.memoryMiB > l.memoryMiB) ||
      (l.gpus !== undefined && w.requests.gpus > l.gpus))
  ) {
    return `one pod asks more than ${node.id}'s limits`;
  }
  return undefined;
}

export function placements(ctx: SimulationContext): Placement[] {
  return ctx.workloads.map((workload) => {
    const nodes: NodeShape[] = [];
    const ruledOut: string[] = [];
    for (const node of ctx.nodes) {
      const verdict = placeOn(workload.pod, node, workload.requests.gpus > 0);
      const tooBig = verdict.fits ? fitsOneNode(workload, node) : undefined;
      if (verdict.fits && !tooBig) nodes.push(node);
      else ruledOut.push(tooBig ?? verdict.reason ?? `not on ${node.id}`);
    }
    return { workload, nodes, ruledOut };
  });
}

/**
 * Labels that node feature discovery and GPU feature discovery put on nodes at run time
 * (https://github.com/NVIDIA/k8s-device-plugin#gpu-feature-discovery): a DaemonSet that selects
 * one runs only where that labeller found the feature.
 */
const RUN_TIME_LABEL = /^(nvidia\.com\/|feature\.node\.kubernetes\.io\/)/;

function runTimeLabelsSelected(pod: Record<string, any>): string[] {
  const keys = Object.keys(pod.nodeSelector ?? {});
  for (const term of pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const e of term?.matchExpressions ?? []) keys.push(String(e?.key));
  }
  return keys.filter((k) => RUN_TIME_LABEL.test(k));
}

export function schedulingCheck(ctx: SimulationContext, placed: readonly Placement[]): Finding[] {
  return placed.map(({ workload: w, nodes, ruledOut }) => {
    const where = { subject: w.subject, address: w.origin.address, chart: w.origin.chart };
    if (nodes.length > 0) return { check: "scheduling" as const, status: "pass" as const, ...where, message: `lands on ${nodes.map((n) => n.id).join(", ")}` };
    const runTime = w.daemon ? runTimeLabelsSelected(w.pod) : [];
    if (runTime.length > 0) {
      return {
        check: "scheduling" as const,
        status: "unknown" as const,
        ...where,
        message: `a DaemonSet for nodes labelled at run time (${runTime.join(", ")}); none of the nodes the stacks create carries that label up front`,
      };
    }
    if (ctx.mode !== "fresh-cluster") {
      return {
        check: "scheduling" as const,
        status: "unknown" as const,
        ...where,
        message: `fits none of the nodes the stacks create${ruledOut.length ? ` (${ruledOut.join("; ")})` : ""}: needs a node of the platform team's (a prerequisite the simulation cannot see)`,
      };
    }
    return { check: "scheduling" as const, status: "fail" as const, ...where, message: ruledOut.length ? ruledOut.join("; ") : "the stacks create no nodes" };
  });
}
