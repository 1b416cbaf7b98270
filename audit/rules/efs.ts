/** EFS-01..04: encrypted, TLS-only, backed-up shared volumes. */
import { block, isTrue, refersTo } from "../terraform";
import { judge } from "../findings";
import { parsePolicyText, principalIsEveryone, statementsOf } from "../iam/policy";
import { asList } from "../terraform";
import type { Rule } from "../types";

export const EFS_RULES: Rule[] = [
  {
    id: "EFS-01",
    title: "Encrypted with a CMK",
    resourceTypes: ["aws_efs_file_system"],
    checks: "encrypted is true and kms_key_id is a project key",
    why: "shared volumes hold pipeline data",
    scanners: ["CKV_AWS_42", "CKV_AWS_184", "AVD-AWS-0037"],
    check: (ctx) =>
      ctx.resources("aws_efs_file_system").flatMap((r) =>
        judge(
          r,
          [
            [isTrue(r.body.encrypted), "encrypted is not true"],
            [
              refersTo(r.body.kms_key_id, "aws_kms_key") || /^arn:aws[a-z-]*:kms:/.test(String(r.body.kms_key_id ?? "")),
              "kms_key_id is not a customer-managed key",
            ],
          ],
          "encrypted with a CMK",
        ),
      ),
  },
  {
    id: "EFS-02",
    title: "TLS-only file system policy, mount-target access only",
    resourceTypes: ["aws_efs_file_system_policy"],
    checks:
      "each file system has a policy that Denies * to {AWS: *} when aws:SecureTransport is false, and allows client actions only with elasticfilesystem:AccessedViaMountTarget true",
    why: "mounts without TLS are refused",
    scanners: [],
    check: (ctx) =>
      ctx.resources("aws_efs_file_system").flatMap((fs) => {
        const policy = ctx.resources("aws_efs_file_system_policy").find((p) => refersTo(p.body.file_system_id, "aws_efs_file_system", fs.name));
        const statements = statementsOf(parsePolicyText(policy?.body.policy));
        const denyTls = statements.some(
          (s) => s.Effect === "Deny" && principalIsEveryone(s.Principal) && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
        );
        const allows = statements.filter((s) => s.Effect === "Allow");
        const viaMountTarget = allows.length > 0 && allows.every((s) => String(s.Condition?.Bool?.["elasticfilesystem:AccessedViaMountTarget"]) === "true");
        return judge(
          fs,
          [
            [policy !== undefined, "no aws_efs_file_system_policy references this file system"],
            [!policy || denyTls, "the policy has no Deny for aws:SecureTransport=false"],
            [!policy || viaMountTarget, "client actions are allowed without elasticfilesystem:AccessedViaMountTarget=true"],
          ],
          "TLS-only policy",
        );
      }),
  },
  {
    id: "EFS-03",
    title: "Backups on",
    resourceTypes: ["aws_efs_backup_policy"],
    checks: 'each file system has an aws_efs_backup_policy with status "ENABLED"',
    why: "EFS has no deletion protection; backups are the service-side guard",
    scanners: ["CKV2_AWS_18"],
    check: (ctx) =>
      ctx.resources("aws_efs_file_system").flatMap((fs) => {
        const bp = ctx.resources("aws_efs_backup_policy").find((p) => refersTo(p.body.file_system_id, "aws_efs_file_system", fs.name));
        const status = block(bp?.body.backup_policy)?.status;
        return judge(
          fs,
          [[status === "ENABLED", bp ? `backup_policy.status is ${JSON.stringify(status)}` : "no aws_efs_backup_policy references this file system"]],
          "backups ENABLED",
        );
      }),
  },
  {
    id: "EFS-04",
    title: "Access points pinned below the root",
    resourceTypes: ["aws_efs_access_point"],
    checks: "root_directory.path is set and not /, posix_user is set",
    why: "an access point at / exposes every tenant's data",
    scanners: ["CKV_AWS_329", "CKV_AWS_330"],
    check: (ctx) =>
      ctx.resources("aws_efs_access_point").flatMap((r) => {
        const path = block(r.body.root_directory)?.path;
        return judge(
          r,
          [
            [typeof path === "string" && path !== "/" && path !== "", `root_directory.path is ${JSON.stringify(path)}`],
            [block(r.body.posix_user) !== undefined, "posix_user is not set"],
          ],
          "scoped access point",
        );
      }),
  },
];
void asList;
