/** The simulation as readable text: a summary per check, every non-pass finding, capacity of the system nodes. */
import type { Finding, Status } from "./model";
import type { Simulation } from "./simulate";

const ORDER: Status[] = ["fail", "unknown", "skip", "pass"];

function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.min(70, Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

const mib = (n: number) => `${Math.round(n)} MiB`;
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

export function renderText(s: Simulation, options: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  const count = (status: Status, list: readonly Finding[] = s.findings) => list.filter((f) => f.status === status).length;
  out.push(
    `Install simulation of ${s.environment} (${s.mode}): ${count("pass")} pass, ${count("fail")} fail, ${count("unknown")} unknown, ${count("skip")} skipped`,
    "",
  );
  const checks = [...new Set(s.findings.map((f) => f.check))];
  out.push(
    ...table(
      ["check", "pass", "fail", "unknown", "skip"],
      checks.map((c) => {
        const list = s.findings.filter((f) => f.check === c);
        return [c, ...(["pass", "fail", "unknown", "skip"] as Status[]).map((st) => String(count(st, list)))];
      }),
    ),
    "",
  );
  const shown = s.findings.filter((f) => options.verbose || f.status !== "pass").sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
  if (shown.length > 0) {
    out.push(
      ...table(
        ["status", "check", "subject", "chart", "finding"],
        shown.map((f) => [f.status.toUpperCase(), f.check, f.subject, f.chart ?? "", f.message]),
      ),
      "",
    );
  }
  for (const c of s.capacity) {
    const a = c.allocatable;
    out.push(`${c.node}: ${c.nodeCount} × ${a.instanceType}, allocatable per node ${a.cpuMillicores}m CPU, ${mib(a.memoryMiB)}, ${a.maxPods} pods`);
    out.push(`  (${a.derivation})`);
    out.push(
      `  requested ${Math.round(c.requested.cpuMillicores)}m CPU (${pct(1 - c.cpuHeadroom)}), ${mib(c.requested.memoryMiB)} (${pct(1 - c.memoryHeadroom)}), ${c.pods} pods; declared requests alone ${Math.round(c.declaredOnly.cpuMillicores)}m, ${mib(c.declaredOnly.memoryMiB)}`,
    );
    out.push(
      ...table(
        ["  workload", "pods", "CPU", "memory", "estimated"],
        c.lines.map((l) => [`  ${l.subject}`, String(l.pods), `${Math.round(l.requests.cpuMillicores)}m`, mib(l.requests.memoryMiB), l.estimated.join("; ")]),
      ),
      "",
    );
  }
  if (s.prerequisites.length > 0) {
    out.push("Prerequisites (not created by these stacks):");
    for (const p of s.prerequisites) out.push(`  - ${p.what}: ${p.why}`);
    out.push("");
  }
  return out.join("\n");
}
