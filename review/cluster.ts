/**
 * The review's "Cluster" section: what the install simulation
 * (simulation/) finds for one environment — node groups and pools,
 * requested vs allocatable on the system nodes, pods per node, what lands
 * where, and the prerequisites a person must create.
 */
import type { Simulation } from "../simulation/simulate";

export interface ClusterSummary {
  readonly mode: string;
  /** Set when the simulation could not run (no helm binary). */
  readonly skipped?: string;
  readonly counts: Readonly<Record<"pass" | "fail" | "unknown" | "skip", number>>;
  readonly nodes: readonly { id: string; kind: string; instanceTypes: string[]; size: string; labels: string[]; taints: string[]; limits: string[] }[];
  readonly systemNodes: readonly {
    node: string;
    nodeCount: number;
    instanceType: string;
    derivation: string;
    allocatable: { cpuMillicores: number; memoryMiB: number; maxPods: number };
    requested: { cpuMillicores: number; memoryMiB: number; pods: number };
    declaredOnly: { cpuMillicores: number; memoryMiB: number };
    cpuHeadroom: number;
    memoryHeadroom: number;
    workloads: { workload: string; pods: number; cpuMillicores: number; memoryMiB: number; estimated: boolean }[];
  }[];
  readonly placements: readonly { workload: string; chart: string; pods: string; landsOn: string[] }[];
  /** Each cluster add-on the Helm stack installs (addons/catalog.ts): its charts as rendered and where its pods land. */
  readonly addons: readonly { addon: string; releases: string[]; workloads: { workload: string; landsOn: string[] }[] }[];
  readonly prerequisites: readonly { what: string; why: string }[];
  readonly findings: readonly { status: string; check: string; subject: string; message: string }[];
}

export function clusterSummary(s: Simulation): ClusterSummary {
  const count = (status: "pass" | "fail" | "unknown" | "skip") => s.findings.filter((f) => f.status === status).length;
  return {
    mode: s.mode,
    counts: { pass: count("pass"), fail: count("fail"), unknown: count("unknown"), skip: count("skip") },
    nodes: s.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      instanceTypes: [...n.instanceTypes],
      size: n.kind === "node-group" ? `${n.alwaysOn}/${n.desired}/${n.maxSize ?? "?"}` : "on demand",
      labels: Object.entries(n.labels)
        .filter(([k, v]) => Array.isArray(v) && !k.startsWith("kubernetes.io/"))
        .map(([k, v]) => `${k}=${(v as string[]).join("|")}`),
      taints: n.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`),
      limits: [
        ...(n.limits?.cpuMillicores !== undefined ? [`CPU ${n.limits.cpuMillicores / 1000}`] : []),
        ...(n.limits?.memoryMiB !== undefined ? [`memory ${Math.round(n.limits.memoryMiB / 1024)} GiB`] : []),
        ...(n.limits?.gpus !== undefined ? [`GPUs ${n.limits.gpus}`] : []),
      ],
    })),
    systemNodes: s.capacity.map((c) => ({
      node: c.node,
      nodeCount: c.nodeCount,
      instanceType: c.allocatable.instanceType,
      derivation: c.allocatable.derivation,
      allocatable: { cpuMillicores: c.allocatable.cpuMillicores, memoryMiB: c.allocatable.memoryMiB, maxPods: c.allocatable.maxPods },
      requested: { cpuMillicores: Math.round(c.requested.cpuMillicores), memoryMiB: Math.round(c.requested.memoryMiB), pods: c.pods },
      declaredOnly: { cpuMillicores: Math.round(c.declaredOnly.cpuMillicores), memoryMiB: Math.round(c.declaredOnly.memoryMiB) },
      cpuHeadroom: Math.round(c.cpuHeadroom * 1000) / 1000,
      memoryHeadroom: Math.round(c.memoryHeadroom * 1000) / 1000,
      workloads: c.lines.map((l) => ({
        workload: l.subject,
        pods: l.pods,
        cpuMillicores: Math.round(l.requests.cpuMillicores),
        memoryMiB: Math.round(l.requests.memoryMiB),
        estimated: l.estimated.length > 0,
      })),
    })),
    placements: s.placements.map((p) => ({
      workload: p.workload.subject,
      chart: p.workload.origin.chart,
      pods: p.workload.daemon ? "1 per node" : String(p.workload.replicas),
      landsOn: p.nodes.map((n) => n.id),
    })),
    addons: s.addons.map((a) => ({
      addon: a.addon,
      releases: a.releases.map((r) => `${r.chart}${r.status === "rendered" ? "" : ` (${r.status})`}`),
      workloads: a.workloads.map((w) => ({ workload: w.workload, landsOn: [...w.landsOn] })),
    })),
    prerequisites: s.prerequisites.map((p) => ({ ...p })),
    findings: s.findings.filter((f) => f.status !== "pass").map((f) => ({ status: f.status, check: f.check, subject: f.subject, message: f.message })),
  };
}

export function skippedCluster(reason: string): ClusterSummary {
  return {
    mode: "unknown",
    skipped: reason,
    counts: { pass: 0, fail: 0, unknown: 0, skip: 0 },
    nodes: [],
    systemNodes: [],
    placements: [],
    addons: [],
    prerequisites: [],
    findings: [],
  };
}

const cell = (s: string) => s.replace(/\|/g, "\\|");
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

export function renderClusterSection(c: ClusterSummary): string[] {
  const out: string[] = ["### Cluster", ""];
  if (c.skipped) return [...out, `Install simulation skipped: ${c.skipped}`, ""];
  out.push(
    `Install simulation (\`npm run simulate\`, ${c.mode}): **${c.counts.fail} failing**, ${c.counts.pass} passing, ${c.counts.unknown} unknown (prerequisites), ${c.counts.skip} skipped.`,
    "",
  );
  out.push("| node group / pool | instance types | min/desired/max | labels | taints | limits |", "|---|---|---|---|---|---|");
  for (const n of c.nodes)
    out.push(
      `| ${n.id} | ${n.instanceTypes.join(", ") || "Karpenter picks"} | ${n.size} | ${cell(n.labels.join(", ")) || "—"} | ${cell(n.taints.join(", ")) || "—"} | ${n.limits.join(", ") || "—"} |`,
    );
  if (c.nodes.length === 0) out.push("| (the platform team's nodes: a prerequisite) | | | | | |");
  out.push("");
  for (const s of c.systemNodes) {
    out.push(
      `**${s.node}** (${s.nodeCount} × ${s.instanceType}): requested **${s.requested.cpuMillicores}m of ${s.allocatable.cpuMillicores * s.nodeCount}m CPU** (${pct(1 - s.cpuHeadroom)}), **${s.requested.memoryMiB} of ${s.allocatable.memoryMiB * s.nodeCount} MiB** (${pct(1 - s.memoryHeadroom)}), **${s.requested.pods} of ${s.allocatable.maxPods * s.nodeCount} pods**${s.nodeCount > 1 ? ` (about ${Math.ceil(s.requested.pods / s.nodeCount)} per node)` : ""}; declared requests alone ${s.declaredOnly.cpuMillicores}m / ${s.declaredOnly.memoryMiB} MiB. _Allocatable: ${s.derivation}._`,
      "",
    );
    out.push("| workload | pods | CPU | memory |", "|---|---:|---:|---:|");
    for (const w of s.workloads)
      out.push(`| ${cell(w.workload)} | ${w.pods} | ${w.cpuMillicores}m${w.estimated ? " (est.)" : ""} | ${w.memoryMiB} MiB${w.estimated ? " (est.)" : ""} |`);
    out.push("");
  }
  if (c.addons.length > 0) {
    out.push("| cluster add-on | charts | its pods land on |", "|---|---|---|");
    for (const a of c.addons) {
      const pods = a.workloads.map((w) => `${w.workload} → ${w.landsOn.join(", ") || "no node the stacks create"}`).join("; ") || "no pods";
      out.push(`| ${a.addon} | ${cell(a.releases.join(", "))} | ${cell(pods)} |`);
    }
    out.push("");
  }
  out.push("<details><summary>What lands where</summary>", "", "| workload | chart | pods | lands on |", "|---|---|---:|---|");
  for (const p of c.placements) out.push(`| ${cell(p.workload)} | ${cell(p.chart)} | ${p.pods} | ${p.landsOn.join(", ") || "**no node the stacks create**"} |`);
  out.push("", "</details>", "");
  if (c.prerequisites.length > 0) {
    out.push("Prerequisites a person must create:", "");
    for (const p of c.prerequisites) out.push(`- ${cell(p.what)}: ${cell(p.why)}`);
    out.push("");
  }
  if (c.findings.length > 0) {
    out.push("| status | check | subject | finding |", "|---|---|---|---|");
    for (const f of c.findings) out.push(`| ${f.status.toUpperCase()} | ${f.check} | ${cell(f.subject)} | ${cell(f.message)} |`);
    out.push("");
  }
  return out;
}
