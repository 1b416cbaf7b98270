/**
 * Roles and what is attached to them: trust policy, customer-managed and
 * inline policies, AWS managed policy ARNs. Attachments are followed through
 * `${aws_iam_role.<n>.name}` and `${aws_iam_policy.<n>.arn}` references.
 */
import { asList, parseReference } from "../terraform";
import type { AuditContext, ResourceRef } from "../types";
import { PolicyDocument, parsePolicyText } from "./policy";

export interface RoleView {
  readonly resource: ResourceRef;
  /** The role's literal name (`layer-dev-gateway`). */
  readonly name: string;
  readonly trust?: PolicyDocument;
  /** Identity policies attached or inline, with where they come from. */
  readonly policies: Array<{ address: string; document?: PolicyDocument }>;
  readonly managedPolicyArns: string[];
}

function pointsAtRole(value: unknown, role: ResourceRef): boolean {
  const ref = parseReference(value);
  if (ref) return ref.type === "aws_iam_role" && ref.name === role.name;
  return typeof value === "string" && value === role.body.name;
}

export function roleViews(ctx: AuditContext): RoleView[] {
  return ctx.resources("aws_iam_role").map((role) => {
    const policies: RoleView["policies"] = [];
    const managedPolicyArns: string[] = [...asList<string>(role.body.managed_policy_arns)];
    const attach = (policyArn: unknown) => {
      const ref = parseReference(policyArn);
      if (ref?.type === "aws_iam_policy") {
        const policy = ctx.resolve(policyArn);
        if (policy) policies.push({ address: policy.address, document: parsePolicyText(policy.body.policy) });
      } else if (typeof policyArn === "string") {
        managedPolicyArns.push(policyArn);
      }
    };
    for (const a of ctx.resources("aws_iam_role_policy_attachment")) if (pointsAtRole(a.body.role, role)) attach(a.body.policy_arn);
    for (const a of ctx.resources("aws_iam_policy_attachment")) if (asList(a.body.roles).some((r) => pointsAtRole(r, role))) attach(a.body.policy_arn);
    for (const p of ctx.resources("aws_iam_role_policy"))
      if (pointsAtRole(p.body.role, role)) policies.push({ address: p.address, document: parsePolicyText(p.body.policy) });
    for (const inline of asList<any>(role.body.inline_policy))
      policies.push({ address: `${role.address}.inline_policy`, document: parsePolicyText(inline?.policy) });
    return {
      resource: role,
      name: String(role.body.name ?? role.name),
      trust: parsePolicyText(role.body.assume_role_policy),
      policies,
      managedPolicyArns,
    };
  });
}

/** Finds a role by the purpose suffix of its name (`-gateway` in `layer-dev-gateway`, see config/naming.ts). */
export function roleByPurpose(ctx: AuditContext, purpose: string): RoleView | undefined {
  return roleViews(ctx).find((r) => r.name.endsWith(`-${purpose}`));
}
