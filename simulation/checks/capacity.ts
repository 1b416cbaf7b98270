/**
 * The always-on nodes hold what can only land there plus every DaemonSet
 * that matches them, with at least 15 % of allocatable CPU and memory left
 * and within max pods. Containers without requests count with an estimate
 * (simulation/estimates.ts), marked as such in the report.
 */
import type { SimulationContext } from "../context";
import type { Finding } from "../model";
import type { Allocatable } from "../instances";
import { Resources, ZERO, add } from "../quantity";
import type { Placement } from "./scheduling";

/** Allocatable share that must stay free on the always-on nodes (room for rollouts, bursts and growth). */
export const REQUIRED_HEADROOM = 0.15;

export interface CapacityLine {
  readonly subject: string;
  readonly chart: string;
  /** Pods on these nodes: replicas, or one per node for a DaemonSet. */
  readonly pods: number;
  readonly daemon: boolean;
  readonly requests: Resources;
  readonly estimated: readonly string[];
}

export interface CapacityReport {
  readonly node: string;
  readonly nodeCount: number;
  readonly allocatable: Allocatable;
  readonly lines: readonly CapacityLine[];
  /** Summed over all nodes of the group. */
  readonly requested: Resources;
  readonly declaredOnly: Resources;
  readonly pods: number;
  readonly cpuHeadroom: number;
  readonly memoryHeadroom: number;
  /**
   * Counted here although a Karpenter pool would also take them: the scheduler puts a pod on a
   * node with room before Karpenter launches one, so in steady state they sit on the system nodes.
   */
  readonly alsoOnPools: readonly string[];
}

export function capacityReports(ctx: SimulationContext, placed: readonly Placement[]): CapacityReport[] {
  const reports: CapacityReport[] = [];
  for (const node of ctx.nodes) {
    if (node.kind !== "node-group" || !node.allocatable) continue;
    const nodeCount = Math.max(node.alwaysOn, 1);
    const lines: CapacityLine[] = [];
    const alsoOnPools: string[] = [];
    for (const { workload: w, nodes } of placed) {
      if (w.transient || !nodes.includes(node)) continue;
      if (!w.daemon && nodes.some((n) => n.kind === "node-pool")) alsoOnPools.push(w.subject);
      const pods = w.daemon ? nodeCount : w.replicas;
      lines.push({ subject: w.subject, chart: w.origin.chart, pods, daemon: w.daemon, requests: w.capacityRequests, estimated: w.estimated });
    }
    const requested = lines.reduce((acc, l) => add(acc, l.requests, l.pods), ZERO);
    const declaredOnly = placed
      .filter((p) => lines.some((l) => l.subject === p.workload.subject))
      .reduce((acc, p) => add(acc, p.workload.requests, p.workload.daemon ? nodeCount : p.workload.replicas), ZERO);
    const a = node.allocatable;
    reports.push({
      node: node.id,
      nodeCount,
      allocatable: a,
      lines,
      requested,
      declaredOnly,
      pods: lines.reduce((n, l) => n + l.pods, 0),
      cpuHeadroom: 1 - requested.cpuMillicores / (a.cpuMillicores * nodeCount),
      memoryHeadroom: 1 - requested.memoryMiB / (a.memoryMiB * nodeCount),
      alsoOnPools,
    });
  }
  return reports;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

export function capacityCheck(ctx: SimulationContext, reports: readonly CapacityReport[]): Finding[] {
  if (ctx.mode !== "fresh-cluster" && reports.length === 0) {
    return [
      {
        check: "capacity",
        status: "unknown",
        subject: "platform nodes",
        message: "the cluster's nodes belong to the platform team (a prerequisite): their capacity cannot be known from the stacks",
      },
    ];
  }
  return reports.map((r) => {
    const a = r.allocatable;
    const problems: string[] = [];
    if (r.cpuHeadroom < REQUIRED_HEADROOM) problems.push(`CPU headroom ${pct(r.cpuHeadroom)} < ${pct(REQUIRED_HEADROOM)}`);
    if (r.memoryHeadroom < REQUIRED_HEADROOM) problems.push(`memory headroom ${pct(r.memoryHeadroom)} < ${pct(REQUIRED_HEADROOM)}`);
    if (r.pods > a.maxPods * r.nodeCount) problems.push(`${r.pods} pods > max pods ${a.maxPods} × ${r.nodeCount}`);
    const estimated = r.lines.some((l) => l.estimated.length > 0);
    const summary =
      `${r.nodeCount} × ${a.instanceType}: requests ${Math.round(r.requested.cpuMillicores)}m of ${a.cpuMillicores * r.nodeCount}m CPU (${pct(1 - r.cpuHeadroom)}), ` +
      `${Math.round(r.requested.memoryMiB)} of ${a.memoryMiB * r.nodeCount} MiB memory (${pct(1 - r.memoryHeadroom)}), ${r.pods} of ${a.maxPods * r.nodeCount} pods${estimated ? " (includes estimates for containers without requests)" : ""}`;
    return {
      check: "capacity",
      status: problems.length ? "fail" : "pass",
      subject: r.node,
      message: problems.length ? `${problems.join("; ")}: ${summary}` : summary,
    } as Finding;
  });
}
