/** KMS-01..02: rotating keys with explicit, non-public key policies. */
import { isTrue } from "../terraform";
import { judge } from "../findings";
import { parsePolicyText, principalIsEveryone, statementsOf } from "../iam/policy";
import type { Rule } from "../types";

export const KMS_RULES: Rule[] = [
  {
    id: "KMS-01",
    title: "Key rotation on, key enabled",
    resourceTypes: ["aws_kms_key"],
    checks: "enable_key_rotation is true and is_enabled is not false",
    why: "yearly rotation limits what one leaked key version can decrypt",
    scanners: ["CKV_AWS_7", "CKV_AWS_227", "AVD-AWS-0065"],
    check: (ctx) =>
      ctx.resources("aws_kms_key").flatMap((r) =>
        judge(
          r,
          [
            [isTrue(r.body.enable_key_rotation), `enable_key_rotation is ${JSON.stringify(r.body.enable_key_rotation)}; expected true`],
            [r.body.is_enabled !== false && r.body.is_enabled !== "false", "is_enabled is false"],
          ],
          "rotating and enabled",
        ),
      ),
  },
  {
    id: "KMS-02",
    title: "Explicit key policy, no unconditioned public Allow",
    resourceTypes: ["aws_kms_key", "aws_kms_key_policy"],
    checks:
      "policy is set (on the key or an aws_kms_key_policy); no Allow to * without a Condition; a key that encrypts log groups grants logs.<region>.amazonaws.com",
    why: "the default key policy is implicit; an explicit one is reviewed with the code",
    scanners: ["CKV2_AWS_64", "CKV_AWS_33"],
    check: (ctx) =>
      ctx.resources("aws_kms_key").flatMap((key) => {
        const separate = ctx.resources("aws_kms_key_policy").find((p) => String(p.body.key_id ?? "").includes(`aws_kms_key.${key.name}.`));
        const text = key.body.policy ?? separate?.body.policy;
        const statements = statementsOf(parsePolicyText(text));
        const usedByLogs = ctx.resources("aws_cloudwatch_log_group").some((g) => String(g.body.kms_key_id ?? "").includes(`aws_kms_key.${key.name}.`));
        const grantsLogs = statements.some((s) => s.Effect === "Allow" && JSON.stringify(s.Principal ?? {}).includes(`logs.${ctx.env.region}.amazonaws.com`));
        return judge(
          key,
          [
            [text !== undefined, "no key policy (the implicit default policy applies)"],
            [text === undefined || statements.length > 0, "the key policy is not a literal JSON document"],
            [
              !statements.some((s) => s.Effect === "Allow" && principalIsEveryone(s.Principal) && !s.Condition),
              "a statement allows Principal * without a Condition",
            ],
            [!usedByLogs || grantsLogs, `the key encrypts a log group but does not grant logs.${ctx.env.region}.amazonaws.com`],
          ],
          "explicit key policy",
        );
      }),
  },
];
