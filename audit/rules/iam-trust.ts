/** IAM-01..05: who may assume each role, read from its trust policy. */
import { asList, refersTo } from "../terraform";
import { judge } from "../findings";
import { statementsOf } from "../iam/policy";
import { roleViews } from "../iam/graph";
import type { AuditContext, Rule } from "../types";

const IRSA_ACTION = "sts:AssumeRoleWithWebIdentity";

/** Every trust statement that names a federated (OIDC) principal, with its role: the IRSA trusts. */
const irsaTrusts = (ctx: AuditContext) =>
  roleViews(ctx).flatMap((r) =>
    statementsOf(r.trust).flatMap((statement) => (statement.Principal?.Federated !== undefined ? [{ resource: r.resource, statement }] : [])),
  );

export const IAM_TRUST_RULES: Rule[] = [
  {
    id: "IAM-01",
    title: "OIDC provider for IRSA",
    resourceTypes: ["aws_iam_openid_connect_provider"],
    checks: 'client_id_list contains "sts.amazonaws.com"; url refers to the cluster\'s identity[0].oidc[0].issuer',
    why: "IRSA tokens are only accepted from this cluster's issuer",
    scanners: [],
    check: (ctx) =>
      ctx.resources("aws_iam_openid_connect_provider").flatMap((r) =>
        judge(
          r,
          [
            [asList(r.body.client_id_list).includes("sts.amazonaws.com"), 'client_id_list lacks "sts.amazonaws.com"'],
            [
              /aws_eks_cluster\.[\w-]+\.identity\[0\]\.oidc\[0\]\.issuer|data\.aws_eks_cluster\./.test(String(r.body.url)),
              `url ${JSON.stringify(r.body.url)} does not refer to the cluster's OIDC issuer`,
            ],
          ],
          "issuer of this cluster",
        ),
      ),
  },
  {
    id: "IAM-02",
    title: "IRSA trust names this cluster's OIDC provider",
    resourceTypes: ["aws_iam_role"],
    checks: "every Allow with Principal.Federated is sts:AssumeRoleWithWebIdentity from an aws_iam_openid_connect_provider (or an oidc-provider ARN)",
    why: "a role assumable from another identity provider is not bound to this cluster",
    scanners: [],
    check: (ctx) =>
      irsaTrusts(ctx).flatMap(({ resource, statement: s }) =>
        judge(
          resource,
          [
            [s.Effect === "Allow", "a federated statement is not an Allow"],
            [asList(s.Action).length === 1 && asList(s.Action)[0] === IRSA_ACTION, `Action is ${JSON.stringify(s.Action)}; expected "${IRSA_ACTION}"`],
            [
              refersTo(s.Principal.Federated, "aws_iam_openid_connect_provider") ||
                /^(\$\{data\.aws_iam_openid_connect_provider\.|arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/)/.test(String(s.Principal.Federated)),
              `Federated principal ${JSON.stringify(s.Principal.Federated)} is not an OIDC provider ARN`,
            ],
          ],
          "trusts the cluster's OIDC provider",
        ),
      ),
  },
  {
    id: "IAM-03",
    title: "IRSA trust exact on sub",
    resourceTypes: ["aws_iam_role"],
    checks: "StringEquals on <issuer>:sub with exact system:serviceaccount:<ns>:<sa> values; no StringLike, no wildcard",
    why: "any other service account in the cluster could otherwise take the role",
    scanners: [],
    check: (ctx) =>
      irsaTrusts(ctx).flatMap(({ resource, statement: s }) => {
        const equals = Object.entries(s.Condition?.StringEquals ?? {}).filter(([k]) => k.endsWith(":sub"));
        const values = equals.flatMap(([, v]) => asList(v as string | string[]));
        const loose = Object.entries(s.Condition ?? {}).some(([op, keys]) => op !== "StringEquals" && Object.keys(keys).some((k) => k.endsWith(":sub")));
        return judge(
          resource,
          [
            [equals.length === 1, "no StringEquals condition on <issuer>:sub"],
            [
              values.length > 0 && values.every((v) => /^system:serviceaccount:[a-z0-9-]+:[a-z0-9.-]+$/.test(v)),
              `sub values ${JSON.stringify(values)} are not exact system:serviceaccount:<ns>:<sa>`,
            ],
            [!loose, "sub is also matched with another operator (StringLike?)"],
          ],
          `sub = ${values.join(", ")}`,
        );
      }),
  },
  {
    id: "IAM-04",
    title: "IRSA trust exact on aud",
    resourceTypes: ["aws_iam_role"],
    checks: 'StringEquals on <issuer>:aud = "sts.amazonaws.com"',
    why: "tokens minted for other audiences cannot be exchanged",
    scanners: [],
    check: (ctx) =>
      irsaTrusts(ctx).flatMap(({ resource, statement: s }) => {
        const aud = Object.entries(s.Condition?.StringEquals ?? {})
          .filter(([k]) => k.endsWith(":aud"))
          .flatMap(([, v]) => asList(v as string | string[]));
        return judge(
          resource,
          [[aud.length === 1 && aud[0] === "sts.amazonaws.com", `aud is ${JSON.stringify(aud)}; expected StringEquals "sts.amazonaws.com"`]],
          "aud = sts.amazonaws.com",
        );
      }),
  },
  {
    id: "IAM-05",
    title: "No trust in everyone or a whole account",
    resourceTypes: ["aws_iam_role"],
    checks: "no Allow to {AWS: *}, a bare account id or arn:aws:iam::<acct>:root in assume_role_policy",
    why: "any principal in that account (or anywhere) could assume the role",
    scanners: ["CKV_AWS_60", "CKV_AWS_61"],
    check: (ctx) =>
      roleViews(ctx).flatMap((r) => {
        const bad = statementsOf(r.trust)
          .filter((s) => s.Effect === "Allow")
          .flatMap((s) => {
            const aws = s.Principal === "*" ? ["*"] : asList<string>(s.Principal?.AWS);
            return aws.filter((p) => p === "*" || /^\d{12}$/.test(p) || /:root$/.test(p));
          });
        return judge(r.resource, [[bad.length === 0, `trust allows ${bad.join(", ")}`]], "trust names specific principals");
      }),
  },
];
