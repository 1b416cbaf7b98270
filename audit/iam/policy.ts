/**
 * Every IAM document in the synthesized output: identity policies, trust
 * policies and resource policies. They are JSON strings that may hold
 * `${...}` Terraform references, which stay opaque here.
 */
import { asList } from "../terraform";
import type { AuditContext, ResourceRef } from "../types";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: any;
  NotPrincipal?: any;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
}

/** identity: attached to a role; trust: a role's assume_role_policy; resource: a bucket/key/queue/file-system policy. */
export type DocumentKind = "identity" | "trust" | "resource";

export interface FoundDocument {
  readonly resource: ResourceRef;
  /** The argument the document came from (`policy`, `assume_role_policy`). */
  readonly field: string;
  readonly kind: DocumentKind;
  /** The raw text as synthesized. */
  readonly text: unknown;
  /** Parsed document; undefined when the text is not literal JSON (e.g. `${jsonencode(...)}`). */
  readonly document?: PolicyDocument;
}

/** Resource type → policy argument and kind. */
export const POLICY_FIELDS: ReadonlyArray<[string, string, DocumentKind]> = [
  ["aws_iam_policy", "policy", "identity"],
  ["aws_iam_role_policy", "policy", "identity"],
  ["aws_iam_role", "assume_role_policy", "trust"],
  ["aws_kms_key", "policy", "resource"],
  ["aws_kms_key_policy", "policy", "resource"],
  ["aws_s3_bucket_policy", "policy", "resource"],
  ["aws_sqs_queue_policy", "policy", "resource"],
  ["aws_efs_file_system_policy", "policy", "resource"],
  ["aws_ecr_repository_policy", "policy", "resource"],
  ["aws_secretsmanager_secret_policy", "policy", "resource"],
];

export function parsePolicyText(text: unknown): PolicyDocument | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const doc = JSON.parse(text);
    if (doc && typeof doc === "object" && doc.Statement !== undefined) return doc as PolicyDocument;
  } catch {
    return undefined;
  }
  return undefined;
}

export function statementsOf(doc: PolicyDocument | undefined): Statement[] {
  return doc ? asList(doc.Statement) : [];
}

export function collectDocuments(ctx: AuditContext): FoundDocument[] {
  const out: FoundDocument[] = [];
  for (const [type, field, kind] of POLICY_FIELDS) {
    for (const resource of ctx.resources(type)) {
      const text = resource.body[field];
      if (text === undefined) continue;
      out.push({ resource, field, kind, text, document: parsePolicyText(text) });
    }
  }
  // Inline policies on a role (IAM-11 refuses them, but they are still linted).
  for (const role of ctx.resources("aws_iam_role")) {
    for (const inline of asList<any>(role.body.inline_policy)) {
      if (inline?.policy) out.push({ resource: role, field: "inline_policy", kind: "identity", text: inline.policy, document: parsePolicyText(inline.policy) });
    }
  }
  return out;
}

/** Principal `*` or `{"AWS": "*"}` (anyone). */
export function principalIsEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") return asList((principal as any).AWS).includes("*");
  return false;
}

export function actionsOf(s: Statement): string[] {
  return asList(s.Action);
}

export function resourcesOf(s: Statement): string[] {
  return asList(s.Resource);
}
