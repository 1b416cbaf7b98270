/**
 * Checks on IAM documents as synthesized: trust policies of IRSA roles and
 * the statements of attached policies.
 */
import { asList, parsePolicy } from "./terraform-json";

export interface ServiceAccount {
  readonly namespace: string;
  readonly name: string;
}

/**
 * Problems with an IRSA trust policy (IAM-02..05): every Allow statement must
 * trust exactly the given OIDC provider for sts:AssumeRoleWithWebIdentity,
 * with StringEquals on both `<issuer>:sub` (exactly the listed service
 * accounts) and `<issuer>:aud` = sts.amazonaws.com, and no wildcard anywhere.
 */
export function irsaTrustProblems(policyText: string, providerArn: string, issuerHost: string, serviceAccounts: ServiceAccount[]): string[] {
  const problems: string[] = [];
  const statements = parsePolicy(policyText).Statement;
  if (statements.length === 0) problems.push("no statements");
  for (const [i, s] of statements.entries()) {
    const at = `Statement[${i}]`;
    if (s.Effect !== "Allow") continue;
    if (JSON.stringify(s.Principal) !== JSON.stringify({ Federated: providerArn }))
      problems.push(`${at}: Principal is ${JSON.stringify(s.Principal)}, not the cluster's OIDC provider`);
    if (JSON.stringify(asList(s.Action)) !== JSON.stringify(["sts:AssumeRoleWithWebIdentity"])) problems.push(`${at}: Action is ${JSON.stringify(s.Action)}`);
    const condition = s.Condition ?? {};
    for (const operator of Object.keys(condition)) {
      if (operator !== "StringEquals") problems.push(`${at}: condition operator ${operator} (only StringEquals is exact)`);
    }
    const equals = condition.StringEquals ?? {};
    const sub = equals[`${issuerHost}:sub`];
    const aud = equals[`${issuerHost}:aud`];
    if (sub === undefined) problems.push(`${at}: no StringEquals ${issuerHost}:sub`);
    if (aud === undefined) problems.push(`${at}: no StringEquals ${issuerHost}:aud`);
    if (aud !== undefined && JSON.stringify(asList(aud)) !== JSON.stringify(["sts.amazonaws.com"])) problems.push(`${at}: aud is ${JSON.stringify(aud)}`);
    const expected = serviceAccounts.map((sa) => `system:serviceaccount:${sa.namespace}:${sa.name}`).sort();
    if (sub !== undefined && JSON.stringify([...asList<string>(sub)].sort()) !== JSON.stringify(expected)) {
      problems.push(`${at}: sub is ${JSON.stringify(sub)}, expected exactly ${JSON.stringify(expected)}`);
    }
    if (JSON.stringify(condition).includes("*")) problems.push(`${at}: a wildcard in the condition`);
  }
  return problems;
}

/** Every Allow statement of a policy document. */
export function allowStatements(policyText: string): any[] {
  return parsePolicy(policyText).Statement.filter((s: any) => s.Effect === "Allow");
}

/** Problems by the generic rules IAM-07/08: no "*" actions, no service wildcards, "*" resources only for unscopable actions. */
export function wildcardProblems(policyText: string, unscopableOnStar: string[]): string[] {
  const problems: string[] = [];
  for (const s of allowStatements(policyText)) {
    const actions = asList<string>(s.Action);
    for (const action of actions) {
      if (action === "*" || action.endsWith(":*")) problems.push(`action ${action}`);
    }
    if (asList(s.Resource).includes("*")) {
      for (const action of actions) if (!unscopableOnStar.includes(action)) problems.push(`${action} on "*"`);
    }
    if (s.NotAction || s.NotResource) problems.push("NotAction/NotResource in an Allow");
  }
  return problems;
}
