/** CW-01: every log group has retention and a KMS key. */
import { refersTo } from "../terraform";
import { judge } from "../findings";
import type { Rule } from "../types";

export const CLOUDWATCH_RULES: Rule[] = [
  {
    id: "CW-01",
    title: "Log groups with retention >= 90 days and KMS",
    resourceTypes: ["aws_cloudwatch_log_group"],
    checks: "retention_in_days >= 90 (0 = never expire is refused: cost) and kms_key_id references a project key",
    why: "logs are evidence; they expire on purpose and are encrypted with a key this project controls",
    scanners: ["CKV_AWS_66", "CKV_AWS_158", "CKV_AWS_338", "AVD-AWS-0017"],
    check: (ctx) =>
      ctx.resources("aws_cloudwatch_log_group").flatMap((r) =>
        judge(
          r,
          [
            [
              typeof r.body.retention_in_days === "number" && r.body.retention_in_days >= 90,
              `retention_in_days is ${JSON.stringify(r.body.retention_in_days)}; expected at least 90`,
            ],
            [refersTo(r.body.kms_key_id, "aws_kms_key") || /^arn:aws[a-z-]*:kms:/.test(String(r.body.kms_key_id ?? "")), "kms_key_id is not set to a KMS key"],
          ],
          "retention and KMS set",
        ),
      ),
  },
];
