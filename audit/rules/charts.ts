/**
 * Checks on what the Helm stack installs that no scanner reads: pinned chart
 * versions, the load balancer controller's explicit region/VPC (pods cannot
 * reach IMDS at hop limit 1) and the IMDS settings of Karpenter's
 * EC2NodeClasses, which live in chart values rather than launch templates.
 */
import { fail, judge } from "../findings";
import { allReleaseValues, leavesIn, objectsIn } from "../helm-values";
import type { Finding, Rule } from "../types";

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
/** Keys that only an EC2NodeClass spec (karpenter.k8s.aws/v1) carries. */
const NODE_CLASS_KEYS = ["amiSelectorTerms", "subnetSelectorTerms", "securityGroupSelectorTerms", "amiAlias", "metadataOptions"];

export const CHART_RULES: Rule[] = [
  {
    id: "HELM-01",
    title: "Charts pinned to an exact version; values are valid YAML",
    resourceTypes: ["helm_release"],
    checks: "a release from a repository has an exact version (no range, no latest); every values document parses",
    why: "a floating chart changes the cluster on an unrelated apply",
    scanners: [],
    check: (ctx) =>
      allReleaseValues(ctx).flatMap((v) =>
        judge(
          v.release,
          [
            [
              !v.release.body.repository || EXACT_VERSION.test(String(v.release.body.version ?? "")),
              `version is ${JSON.stringify(v.release.body.version)}; expected an exact chart version`,
            ],
            [v.unparseable.length === 0, `values do not parse: ${v.unparseable.join("; ")}`],
          ],
          `chart ${v.release.body.chart}${v.release.body.version ? `@${v.release.body.version}` : ""}`,
        ),
      ),
  },
  {
    id: "HELM-02",
    title: "Load balancer controller gets clusterName, region and vpcId explicitly",
    resourceTypes: ["helm_release (aws-load-balancer-controller)"],
    checks: "values or set entries give clusterName, region and vpcId",
    why: "with IMDS hop limit 1 (EKS-12) the controller cannot discover region and VPC itself",
    scanners: [],
    check: (ctx) =>
      allReleaseValues(ctx)
        .filter((v) => String(v.release.body.chart) === "aws-load-balancer-controller")
        .flatMap((v) => {
          const keys = new Set([...v.documents.flatMap((d) => leavesIn(d).map((l) => l.path)), ...v.sets.map((s) => s.name)]);
          return judge(
            v.release,
            ["clusterName", "region", "vpcId"].map((k) => [keys.has(k), `${k} is not set`] as [boolean, string]),
            "clusterName, region, vpcId set",
          );
        }),
  },
  {
    id: "EKS-11-NODECLASS",
    title: "EC2NodeClass requires IMDSv2",
    resourceTypes: ["helm_release values (EC2NodeClass)"],
    checks:
      'every EC2NodeClass spec in release values (or, when values carry none, in the local chart\'s EC2NodeClass templates as literals) sets metadataOptions.httpTokens "required" and does not disable httpEndpoint',
    why: "security bar EKS-11 applies to Karpenter nodes too; scanners never see these nodes",
    scanners: ["CKV_AWS_79 (equivalent)"],
    check: (ctx) =>
      nodeClasses(
        ctx,
        (m) => [
          [m?.httpTokens === "required", `metadataOptions.httpTokens is ${JSON.stringify(m?.httpTokens)}; expected "required"`],
          [m?.httpEndpoint === undefined || m?.httpEndpoint === "enabled", `metadataOptions.httpEndpoint is ${JSON.stringify(m?.httpEndpoint)}`],
        ],
        "IMDSv2 required",
      ),
  },
  {
    id: "EKS-12-NODECLASS",
    title: "EC2NodeClass IMDS hop limit 1, explicit",
    resourceTypes: ["helm_release values (EC2NodeClass)"],
    checks: "every EC2NodeClass spec in release values (or the local chart's EC2NodeClass templates) sets metadataOptions.httpPutResponseHopLimit 1",
    why: "security bar EKS-12 for Karpenter nodes: pods cannot take the node role",
    scanners: ["CKV_AWS_341 (equivalent)"],
    check: (ctx) =>
      nodeClasses(
        ctx,
        (m) => [
          [Number(m?.httpPutResponseHopLimit) === 1, `metadataOptions.httpPutResponseHopLimit is ${JSON.stringify(m?.httpPutResponseHopLimit)}; expected 1`],
        ],
        "hop limit 1",
      ),
  },
];

/**
 * Applies `conditions` to the metadataOptions of every EC2NodeClass the
 * release creates: objects in its values that look like an EC2NodeClass spec,
 * and, for a local chart, the literal metadataOptions of its EC2NodeClass
 * templates. When the chart's templates define the node classes, a values
 * object without metadataOptions only feeds them (amiAlias, role) and is not
 * judged itself. A pools chart where neither shows metadataOptions fails:
 * the settings would be invisible to review.
 */
function nodeClasses(ctx: Parameters<Rule["check"]>[0], conditions: (metadataOptions: any) => Array<[boolean, string]>, passed: string): Finding[] {
  return allReleaseValues(ctx).flatMap((v) => {
    const templates = (ctx.chartTemplates(v.release) ?? []).filter((t) => /^kind:\s*EC2NodeClass\s*$/m.test(t.text));
    const specs = v.documents
      .flatMap((d) => objectsIn(d))
      .filter(({ object }) => NODE_CLASS_KEYS.some((k) => k in object))
      .filter(({ object }) => templates.length === 0 || "metadataOptions" in object);
    const poolsChart = /pool|nodeclass/i.test(String(v.release.body.chart ?? "")) || /pool/i.test(String(v.release.body.name ?? ""));
    const findings: Finding[] = [];
    for (const t of templates) {
      const literal = (key: string) => {
        const m = new RegExp(`^\\s*${key}:\\s*["']?([^"'\\s#]+)`, "m").exec(t.text);
        return m && !m[1].includes("{{") ? (/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]) : undefined;
      };
      const options = { httpTokens: literal("httpTokens"), httpPutResponseHopLimit: literal("httpPutResponseHopLimit"), httpEndpoint: literal("httpEndpoint") };
      findings.push(
        ...judge(
          v.release,
          conditions(options).map(([ok, m]) => [ok, `${t.file}: ${m}`] as [boolean, string]),
          `${t.file}: ${passed}`,
        ),
      );
    }
    for (const { path, object } of specs) {
      findings.push(
        ...judge(
          v.release,
          conditions(object.metadataOptions).map(([ok, m]) => [ok, `${path || "values"}: ${m}`] as [boolean, string]),
          `${path || "values"}: ${passed}`,
        ),
      );
    }
    if (findings.length === 0 && poolsChart)
      findings.push(fail(v.release, "a node pool chart whose values and templates carry no EC2NodeClass metadataOptions"));
    return findings;
  });
}
