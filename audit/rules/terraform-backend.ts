/** TF-01, TF-02, TF-04: encrypted, lock-file-locked remote state. */
import { isTrue } from "../terraform";
import { judge } from "../findings";
import type { AuditContext, Finding, Rule } from "../types";

function s3Backends(ctx: AuditContext): Array<{ stack: "aws" | "helm"; s3: any }> {
  return (["aws", "helm"] as const).map((stack) => ({ stack, s3: ctx.stacks[stack]?.terraform?.backend?.s3 })).filter((b) => b.s3 !== undefined);
}

export const TERRAFORM_RULES: Rule[] = [
  {
    id: "TF-01",
    title: "Encrypted S3 state",
    resourceTypes: ["terraform.backend.s3"],
    checks: "encrypt is true",
    why: "state holds every resource attribute, including generated secrets",
    scanners: [],
    check: (ctx) =>
      s3Backends(ctx).flatMap(({ stack, s3 }): Finding[] =>
        judge({ address: "terraform.backend.s3", stack }, [[isTrue(s3.encrypt), `encrypt is ${JSON.stringify(s3.encrypt)}; expected true`]], "encrypted"),
      ),
  },
  {
    id: "TF-02",
    title: "S3 lock file, no DynamoDB lock table",
    resourceTypes: ["terraform.backend.s3"],
    checks: "use_lockfile is true and dynamodb_table is absent",
    why: "S3-native locking is GA since Terraform 1.11; the DynamoDB arguments are deprecated",
    scanners: [],
    check: (ctx) =>
      s3Backends(ctx).flatMap(({ stack, s3 }) =>
        judge(
          { address: "terraform.backend.s3", stack },
          [
            [isTrue(s3.use_lockfile), `use_lockfile is ${JSON.stringify(s3.use_lockfile)}; expected true`],
            [s3.dynamodb_table === undefined, `dynamodb_table is ${JSON.stringify(s3.dynamodb_table)}; expected absent`],
          ],
          "locked with an S3 lock file",
        ),
      ),
  },
  {
    id: "TF-04",
    title: "Legacy lock table recoverable",
    resourceTypes: ["aws_dynamodb_table"],
    checks: "point_in_time_recovery.enabled and deletion_protection_enabled are true",
    why: "only relevant while migrating from DynamoDB locking",
    scanners: ["CKV_AWS_28", "AVD-AWS-0024"],
    check: (ctx) =>
      ctx.resources("aws_dynamodb_table").flatMap((r) =>
        judge(
          r,
          [
            [
              isTrue((Array.isArray(r.body.point_in_time_recovery) ? r.body.point_in_time_recovery[0] : r.body.point_in_time_recovery)?.enabled),
              "point_in_time_recovery is not enabled",
            ],
            [isTrue(r.body.deletion_protection_enabled), "deletion_protection_enabled is not true"],
          ],
          "recoverable",
        ),
      ),
  },
];
