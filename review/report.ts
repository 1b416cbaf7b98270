/**
 * One environment's review: the JSON CI gates on (stable shape, top-level
 * `monthlyCostUsd`) and the Markdown posted on the pull request.
 */
import type { EnvironmentJson } from "./synth-output";
import { CostEstimate, estimateCost } from "./cost";
import { Diff, diffEnvironment, emptyDiff } from "./diff";
import { diagram } from "./diagram";
import { Inventory, inventory } from "./inventory";
import { ClusterSummary, renderClusterSection } from "./cluster";
import { addonReleaseAddresses } from "./addons";

export const REVIEW_SCHEMA_VERSION = 1;

export interface Review {
  readonly schemaVersion: number;
  readonly environment: string;
  readonly monthlyCostUsd: number;
  /** Stateful resources destroyed or replaced by this change (see diff.replacements). */
  readonly replacementCount: number;
  readonly inventory: Inventory;
  readonly cost: CostEstimate;
  readonly diff: Diff;
  readonly diagram: string;
  /** The install simulation's findings (review/cluster.ts); absent when not run. */
  readonly cluster?: ClusterSummary;
}

export interface ReviewInput {
  readonly name: string;
  readonly current: EnvironmentJson | undefined;
  /** Undefined: no base was given. A base without this environment is an empty environment. */
  readonly base?: { label: string; env: EnvironmentJson | undefined };
  readonly cluster?: ClusterSummary;
}

export function buildReview(input: ReviewInput): Review {
  const current = input.current ?? { name: input.name, stacks: {} };
  const inv = inventory(current);
  const cost = estimateCost(inv);
  const diff = input.base ? diffEnvironment(input.base.env, current, input.base.label) : emptyDiff();
  return {
    schemaVersion: REVIEW_SCHEMA_VERSION,
    environment: input.name,
    monthlyCostUsd: cost.monthlyUsd,
    replacementCount: diff.replacements.length,
    inventory: inv,
    cost,
    diff,
    diagram: diagram(input.name, inv),
    ...(input.cluster ? { cluster: input.cluster } : {}),
  };
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const code = (s: string | null | undefined) => (s === null || s === undefined || s === "" ? "—" : `\`${s.replace(/`/g, "'")}\``);
/** Table cells: pipes would end the cell. */
const cell = (s: string) => s.replace(/\|/g, "\\|");

export function renderMarkdown(r: Review): string {
  const out: string[] = [];
  const s = r.inventory.settings;
  out.push(`## layer review: \`${r.environment}\``, "");
  out.push(
    `**Baseline ${usd(r.monthlyCostUsd)}/month**${r.cost.estimate ? ` (estimate: ${r.cost.region ?? "unknown region"} = ${r.cost.priceTableRegion} list prices × ${r.cost.regionFactor})` : ` (${r.cost.priceTableRegion} list prices of ${r.cost.priceTableDate})`}` +
      ` · ${r.inventory.stacks.map((x) => `${x.name}: ${x.resourceCount} resources`).join(" · ") || "no stacks"}`,
    "",
  );

  // The loud part first.
  if (r.diff.replacements.length > 0) {
    out.push(`> [!CAUTION]`, `> **${r.diff.replacements.length} stateful resource(s) would be DESTROYED or REPLACED. Data in them is lost.**`, ">");
    for (const x of r.diff.replacements) out.push(`> - **${x.kind.toUpperCase()}** \`${x.stack}\` \`${x.address}\`: ${x.reason}`);
    out.push("");
  }
  if (r.diff.protectionRemoved.length > 0) {
    out.push(`> [!WARNING]`, `> \`prevent_destroy\` removed from: ${r.diff.protectionRemoved.map((x) => `\`${x.address}\``).join(", ")}`, "");
  }

  out.push("### Changes", "");
  if (r.diff.base === null) out.push("No base given: run with `--base <cdktf.out>` or `--base-ref <git ref>` to compare.", "");
  else {
    const total = r.diff.added.length + r.diff.removed.length + r.diff.changed.length;
    out.push(
      `Against \`${r.diff.base}\`: ${r.diff.added.length} added, ${r.diff.changed.length} changed, ${r.diff.removed.length} removed${r.diff.moved.length ? `, ${r.diff.moved.length} moved` : ""}.`,
      "",
    );
    if (total > 0) {
      out.push("| | stack | address | arguments |", "|---|---|---|---|");
      for (const x of r.diff.removed) out.push(`| − | ${x.stack} | \`${x.address}\` | |`);
      for (const x of r.diff.added) out.push(`| + | ${x.stack} | \`${x.address}\` | |`);
      for (const x of r.diff.changed)
        out.push(`| ~ | ${x.stack} | \`${x.address}\` | ${cell(x.attributes.slice(0, 8).join(", "))}${x.attributes.length > 8 ? ", …" : ""} |`);
      out.push("");
    }
    for (const m of r.diff.moved) out.push(`- moved: \`${m.from}\` → \`${m.to}\` (${m.stack})`);
    if (r.diff.moved.length) out.push("");
  }

  out.push("### Key settings", "");
  out.push("| setting | value |", "|---|---|");
  out.push(`| region | ${code(s.region)} |`);
  out.push(
    `| protection | ${s.protection.allStatefulProtected ? "on: every stateful resource has `prevent_destroy`" : s.protection.protected.length > 0 ? `partial: ${s.protection.unprotected.length} stateful resource(s) without \`prevent_destroy\`` : "off"} |`,
  );
  for (const c of s.clusters) {
    out.push(
      `| cluster ${code(c.name)} | ${c.created ? `Kubernetes ${code(c.kubernetesVersion)}, public endpoint ${c.endpointPublicAccess ? `on from ${c.publicAccessCidrs.map(code).join(", ") || "**anywhere**"}` : "off"}, logs ${c.logTypes.join(", ") || "none"}` : "existing cluster (read by name)"} |`,
    );
  }
  for (const g of s.nodeGroups) {
    out.push(
      `| node group ${code(g.name ?? g.address)} | ${g.instanceTypes.map(code).join(", ")} ${g.capacityType}, min/desired/max ${g.minSize}/${g.desiredSize}/${g.maxSize}, root ${g.rootVolumeGiB ?? "?"} GiB${g.publicIp ? ", public IPs" : ""} |`,
    );
  }
  for (const p of s.karpenterPools) {
    out.push(
      `| Karpenter pool ${code(p.name)} | limits ${
        Object.entries(p.limits)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ") || "none"
      } |`,
    );
  }
  for (const a of s.addons)
    out.push(
      `| add-on ${code(a.addon)} | ${a.releases.map((r) => `${code(r.chart)} ${r.version ? code(r.version) : "(local chart)"}`).join(", ")} in ${[...new Set(a.releases.map((r) => code(r.namespace)))].join(", ")} (\`${a.switch}\`) |`,
    );
  const ofAddons = addonReleaseAddresses(s.addons);
  for (const c of s.charts.filter((chart) => !ofAddons.has(chart.address)))
    out.push(
      `| chart ${code(c.name)} | ${code(c.chart)} ${c.version ? code(c.version) : "(local chart, no version)"}${c.repository ? ` from ${code(c.repository)}` : ""} in ${code(c.namespace)} |`,
    );
  for (const i of s.ingresses) out.push(`| ingress (${i.source}) | ${i.scheme} ALB${i.host ? ` for ${code(i.host)}` : ""} |`);
  const n = s.network;
  if (n.vpcs.length > 0) {
    out.push(
      `| network | ${n.vpcs.map((v) => code(v.cidr)).join(", ")}; ${n.subnets.filter((x) => x.public).length} public / ${n.subnets.filter((x) => !x.public).length} private subnets; ${n.natGateways.length} NAT; ${n.endpoints.filter((e) => e.type === "Interface").length} interface endpoints; flow logs ${n.flowLogs.length ? "on" : "off"} |`,
    );
  }
  out.push("");

  out.push("### Baseline monthly cost", "");
  out.push("| line | quantity | unit price | per month |", "|---|---:|---:|---:|");
  for (const l of r.cost.lines) {
    const note = l.note ? ` _(${cell(l.note)})_` : "";
    const source = l.source ? ` [source](${l.source})` : "";
    out.push(
      `| ${cell(l.description)}${note}${source} | ${round(l.quantity)} ${l.unit} | ${l.unitPriceUsd ? `$${round(l.unitPriceUsd, 5)}` : "—"} | ${usd(l.monthlyUsd)} |`,
    );
  }
  out.push(`| **total** | | | **${usd(r.cost.monthlyUsd)}** |`, "");
  out.push(
    `Prices: \`review/prices.ts\` (${r.cost.priceTableRegion}, compiled ${r.cost.priceTableDate}; ${r.cost.hoursPerMonth} h/month). Usage (traffic, data processed, Karpenter workers) is not in a baseline.`,
    "",
  );

  if (r.cluster) out.push(...renderClusterSection(r.cluster));

  out.push("### Diagram", "", "```mermaid", r.diagram, "```", "");
  out.push("<details><summary>Resources by type</summary>", "");
  for (const st of r.inventory.stacks) {
    out.push(`**${st.name}** (${st.resourceCount})`, "");
    out.push(
      Object.entries(st.byType)
        .map(([t, c]) => `\`${t}\` ${c}`)
        .join(" · ") || "none",
      "",
    );
  }
  out.push("</details>", "");
  return out.join("\n");
}

function round(n: number, digits = 2): string {
  return String(Math.round(n * 10 ** digits) / 10 ** digits);
}
