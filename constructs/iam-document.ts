/**
 * Typed IAM policy documents. Policies are literal JSON built from these
 * types (never string templates) so tests and the audit can read them back.
 */
export type Principal = "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string };

export type ConditionBlock = Record<string, Record<string, string | string[] | boolean>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly NotPrincipal?: Principal;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Rendered for `policy` arguments: may contain `${...}` references that Terraform resolves. */
export function renderPolicy(document: PolicyDocument): string {
  return JSON.stringify(document);
}
