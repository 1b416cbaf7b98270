/**
 * The cluster add-ons, checked against the add-on catalog (addons/catalog.ts)
 * on the synthesized Helm stack: each release named like an add-on chart
 * comes from that chart and repository, in its namespace, at an exact
 * version, and a chart whose pods run on the system nodes places them there.
 * With the environment's enabled add-ons known (every real environment), each
 * enabled add-on's releases exist at the pinned versions of the environment
 * file, and no release of a disabled add-on does.
 */
import { ADDON_CHARTS, AddonChart, AddonRelease } from "../../addons/catalog";
import { fail, judge } from "../findings";
import { objectsIn, releaseValues } from "../helm-values";
import type { AuditContext, Finding, ResourceRef, Rule } from "../types";
import { toleratesSystemTaint } from "./placement";

const ROLE_LABEL = "layer.hev.dev/node-role";
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Some values object selects the system nodes and tolerates their taint. */
function placedOnSystemNodes(release: ResourceRef): boolean {
  return releaseValues(release)
    .documents.flatMap((d) => objectsIn(d))
    .some(({ object }) => object.nodeSelector?.[ROLE_LABEL] === "system" && toleratesSystemTaint(object.tolerations));
}

function checkRelease(release: ResourceRef, chart: AddonChart & { readonly addon: string }, pinned?: AddonRelease): Finding[] {
  const b = release.body;
  const checks: Array<[boolean, string]> = [
    [b.chart === chart.chart, `chart is ${JSON.stringify(b.chart)}; the ${chart.addon} add-on installs ${chart.chart}`],
    [(b.repository ?? undefined) === chart.repository, `repository is ${JSON.stringify(b.repository)}; expected ${JSON.stringify(chart.repository)}`],
    [b.namespace === chart.namespace, `namespace is ${JSON.stringify(b.namespace)}; expected ${chart.namespace}`],
  ];
  if (chart.repository) checks.push([EXACT_VERSION.test(String(b.version ?? "")), `version is ${JSON.stringify(b.version)}; expected an exact chart version`]);
  if (pinned?.version !== undefined)
    checks.push([b.version === pinned.version, `version is ${JSON.stringify(b.version)}; the environment file pins ${pinned.version}`]);
  if (chart.placement === "system-nodes")
    checks.push([
      placedOnSystemNodes(release),
      `no values object selects ${ROLE_LABEL}: system and tolerates its taint; the ${chart.addon} add-on's pods belong on the system nodes`,
    ]);
  return judge(release, checks, `${chart.addon}: ${chart.releaseName} as the catalog pins it`);
}

export const ADDON_RULES: Rule[] = [
  {
    id: "ADDON-01",
    title: "Cluster add-ons are installed as the add-on catalog pins them",
    resourceTypes: ["helm_release"],
    checks:
      "a helm_release named like an add-on chart of addons/catalog.ts has that chart, repository and namespace and an exact version; its values select and tolerate the system nodes when the catalog places its pods there; every enabled add-on's releases exist at the environment's pinned versions, and no disabled add-on's release does",
    why: "the stacks, the simulation and the review all read the catalog; a release that drifts from it (another chart, a floating version, pods off the system nodes) is one none of them describes",
    scanners: [],
    check: (ctx: AuditContext) => {
      const findings: Finding[] = [];
      const releases = ctx.resources("helm_release").filter((r) => r.stack === "helm");
      const expected = ctx.env.addons?.flatMap((a) => a.releases.map((r) => ({ ...r, addon: a.name })));
      for (const release of releases) {
        const chart = ADDON_CHARTS.find((c) => c.releaseName === release.body.name);
        if (!chart) continue;
        const pinned = expected?.find((r) => r.releaseName === chart.releaseName);
        if (expected && !pinned) {
          findings.push(fail(release, `${chart.releaseName} belongs to the ${chart.addon} add-on, which this environment does not enable`));
          continue;
        }
        findings.push(...checkRelease(release, chart, pinned));
      }
      for (const missing of expected?.filter((r) => !releases.some((release) => release.body.name === r.releaseName)) ?? []) {
        findings.push({
          address: `helm_release (${missing.releaseName})`,
          stack: "helm",
          ok: false,
          message: `the ${missing.addon} add-on is enabled but the Helm stack has no release ${missing.releaseName}`,
        });
      }
      return findings;
    },
  },
];
