/**
 * IRSA: every ServiceAccount annotated with a role ARN (and every managed
 * add-on given `service_account_role_arn`) names a role of the AWS stack
 * whose trust `sub` is exactly that namespace and name; every IRSA role of
 * the AWS stack is used by some ServiceAccount or add-on.
 * https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
import type { SimulationContext } from "../context";
import { managedAddonServiceAccounts } from "../managed-addons";
import { Finding, isRecord, objectLabel, resourcesOf } from "../model";

const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

interface IrsaRole {
  readonly address: string;
  readonly name?: string;
  /** `namespace/name` of every ServiceAccount the trust policy admits. */
  readonly subjects: readonly string[];
}

function trustSubjects(policy: unknown): string[] | undefined {
  let doc: any = policy;
  if (typeof policy === "string") {
    try {
      doc = JSON.parse(policy);
    } catch {
      return undefined;
    }
  }
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
  const federated = statements.filter(
    (s: any) => s?.Effect === "Allow" && s?.Principal?.Federated && [s.Action].flat().includes("sts:AssumeRoleWithWebIdentity"),
  );
  if (federated.length === 0) return undefined;
  const subs: string[] = [];
  for (const s of federated) {
    for (const [op, conditions] of Object.entries(isRecord(s.Condition) ? s.Condition : {})) {
      if (op !== "StringEquals" || !isRecord(conditions)) continue;
      for (const [key, value] of Object.entries(conditions)) {
        if (!key.endsWith(":sub")) continue;
        for (const v of [value].flat()) {
          const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(String(v));
          if (m) subs.push(`${m[1]}/${m[2]}`);
        }
      }
    }
  }
  return subs;
}

export function irsaRoles(ctx: SimulationContext): IrsaRole[] {
  return resourcesOf(ctx.aws, "aws_iam_role").flatMap(({ name, body }) => {
    const subjects = trustSubjects(body.assume_role_policy);
    return subjects ? [{ address: `aws_iam_role.${name}`, name: typeof body.name === "string" ? body.name : undefined, subjects }] : [];
  });
}

function roleFor(roles: readonly IrsaRole[], arn: string): IrsaRole | undefined {
  const ref = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(arn)?.[1];
  if (ref) return roles.find((r) => r.address === `aws_iam_role.${ref}`);
  const name = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  return name ? roles.find((r) => r.name === name) : undefined;
}

export function irsaCheck(ctx: SimulationContext): { findings: Finding[]; prerequisites: { what: string; why: string }[] } {
  const roles = irsaRoles(ctx);
  const used = new Set<string>();
  const findings: Finding[] = [];
  const prerequisites: { what: string; why: string }[] = [];
  const users: { subject: string; address: string; chart: string; serviceAccounts: string[]; arn: string }[] = [];
  for (const { object, origin } of ctx.objects) {
    if (object.kind !== "ServiceAccount") continue;
    const arn = object.metadata.annotations?.[ROLE_ARN_ANNOTATION];
    if (!arn) continue;
    users.push({
      subject: objectLabel(object),
      address: origin.address,
      chart: origin.chart,
      serviceAccounts: [`${object.metadata.namespace ?? "default"}/${object.metadata.name}`],
      arn: String(arn),
    });
  }
  for (const { name, body } of resourcesOf(ctx.aws, "aws_eks_addon")) {
    if (typeof body.service_account_role_arn !== "string") continue;
    users.push({
      subject: `EKS add-on ${body.addon_name}`,
      address: `aws_eks_addon.${name}`,
      chart: `EKS add-on ${body.addon_name}`,
      serviceAccounts: managedAddonServiceAccounts(String(body.addon_name)),
      arn: body.service_account_role_arn,
    });
  }
  for (const u of users) {
    const where = { subject: u.subject, address: u.address, chart: u.chart };
    const role = roleFor(roles, u.arn);
    if (!role) {
      if (ctx.mode === "helm-only" || !ctx.aws) {
        findings.push({
          check: "irsa",
          status: "unknown",
          ...where,
          message: `role ${u.arn} is not made by these stacks (a prerequisite): its trust cannot be checked`,
        });
        prerequisites.push({ what: `IAM role ${u.arn}`, why: `trusting ${u.serviceAccounts.join(", ")} through the cluster's OIDC provider (${u.subject})` });
      } else findings.push({ check: "irsa", status: "fail", ...where, message: `role ${u.arn} is not an IRSA role of the AWS stack` });
      continue;
    }
    used.add(role.address);
    const untrusted = u.serviceAccounts.filter((sa) => !role.subjects.includes(sa));
    findings.push(
      untrusted.length === 0
        ? { check: "irsa", status: "pass", ...where, message: `${role.name ?? role.address} trusts ${u.serviceAccounts.join(", ")}` }
        : {
            check: "irsa",
            status: "fail",
            ...where,
            message: `${role.name ?? role.address} trusts ${role.subjects.join(", ") || "no ServiceAccount"}, not ${untrusted.join(", ")}: AssumeRoleWithWebIdentity is denied`,
          },
    );
  }
  const podIdentity = new Set(resourcesOf(ctx.aws, "aws_eks_pod_identity_association").map(({ body }) => String(body.role_arn)));
  for (const role of roles) {
    if (used.has(role.address) || [...podIdentity].some((arn) => arn.includes(role.address))) continue;
    const skipped = ctx.releases.filter((r) => r.skip).map((r) => r.address);
    findings.push(
      skipped.length > 0
        ? {
            check: "irsa",
            status: "unknown",
            subject: role.address,
            address: role.address,
            chart: "AWS stack",
            message: `${role.name ?? role.address} trusts ${role.subjects.join(", ")}; no rendered ServiceAccount uses it, but ${skipped.join(", ")} could not be rendered`,
          }
        : {
            check: "irsa",
            status: "fail",
            subject: role.address,
            address: role.address,
            chart: "AWS stack",
            message: `${role.name ?? role.address} trusts ${role.subjects.join(", ")} but no ServiceAccount or add-on uses it`,
          },
    );
  }
  return { findings, prerequisites };
}
