/**
 * Shared IAM lint logic: which documents to read, the catalogue they need,
 * and the allow-list of actions that may use `Resource: "*"`.
 */
import type { AuditContext, Finding } from "../types";
import { asList } from "../terraform";
import { fail, pass } from "../findings";
import { IamCatalogue, globToRegExp } from "./catalogue";
import { FoundDocument, Statement, collectDocuments, statementsOf } from "./policy";

const catalogues = new WeakMap<AuditContext, Promise<IamCatalogue>>();

/** The catalogue, loaded once per context for every service its documents name. */
export function catalogueFor(ctx: AuditContext, extraPatterns: string[] = []): Promise<IamCatalogue> {
  let c = catalogues.get(ctx);
  if (!c) {
    const patterns = collectDocuments(ctx).flatMap((d) => statementsOf(d.document).flatMap((s) => [...asList(s.Action), ...asList(s.NotAction)]));
    c = IamCatalogue.load([...patterns, ...extraPatterns]);
    catalogues.set(ctx, c);
  }
  return c;
}

export function identityDocuments(ctx: AuditContext): FoundDocument[] {
  return collectDocuments(ctx).filter((d) => d.kind === "identity");
}

/** Judges every statement of every identity document: one pass per clean document, one failure per problem. */
export function perStatement(ctx: AuditContext, check: (s: Statement, where: string) => string[]): Finding[] {
  return identityDocuments(ctx).flatMap((d) => {
    const where = d.field === "policy" ? d.resource.address : `${d.resource.address}.${d.field}`;
    const problems = statementsOf(d.document).flatMap((s, i) => check(s, `Statement[${i}]${s.Sid ? ` (${s.Sid})` : ""}`));
    return problems.length === 0 ? [pass(d.resource, `${where}: ok`)] : problems.map((p) => fail(d.resource, p));
  });
}

/**
 * Actions the security bar (IAM-08) allows on `Resource: "*"` although some
 * have resource types: Cost Explorer reads, the price list, CloudWatch
 * metric reads, EC2 describes and the ECR login token.
 */
export const STAR_RESOURCE_ALLOWED = [
  "ce:Get*",
  "ce:Describe*",
  "ce:List*",
  "pricing:*",
  "cloudwatch:GetMetricData",
  "cloudwatch:ListMetrics",
  "ec2:Describe*",
  "ecr:GetAuthorizationToken",
];

export function starAllowed(action: string): boolean {
  return STAR_RESOURCE_ALLOWED.some((p) => globToRegExp(p, true).test(action));
}

/** A statement whose condition pins request or resource tags counts as scoped (the upstream controller documents rely on this). */
export function isTagScoped(s: Statement): boolean {
  return Object.values(s.Condition ?? {}).some((keys) => Object.keys(keys ?? {}).some((k) => /(Request|Resource)Tag\//i.test(k)));
}

export function hasStarResource(s: Statement): boolean {
  return asList(s.Resource).includes("*");
}

/** Actions that read data or credentials (IAM-10). */
export const EXFILTRATION_ACTIONS = [
  "s3:GetObject*",
  "ssm:GetParameter*",
  "secretsmanager:GetSecretValue",
  "kms:Decrypt",
  "dynamodb:GetItem",
  "dynamodb:Scan",
  "dynamodb:Query",
  "sqs:ReceiveMessage",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
];
/** Actions that grant or escalate privileges when allowed on `*` (IAM-09). */
export const ESCALATION_ACTIONS = [
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:PutRolePolicy",
  "iam:PutUserPolicy",
  "iam:CreateAccessKey",
  "iam:UpdateAssumeRolePolicy",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:AddUserToGroup",
  "sts:AssumeRole",
  "lambda:UpdateFunctionCode",
  "iam:CreateRole",
];
