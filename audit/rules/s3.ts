/** S3-01..08: the data bucket (and any other bucket) is private, versioned, encrypted, TLS-only and expires old data. */
import { block, blocks, isTrue, refersTo } from "../terraform";
import { fail, judge, pass } from "../findings";
import { parsePolicyText, statementsOf, principalIsEveryone } from "../iam/policy";
import { asList } from "../terraform";
import type { AuditContext, Finding, ResourceRef, Rule } from "../types";

/** The companion resources of each bucket, found by their `bucket = ${aws_s3_bucket.<n>.id}` reference. */
function companions(ctx: AuditContext, bucket: ResourceRef, type: string): ResourceRef[] {
  return ctx.resources(type).filter((r) => refersTo(r.body.bucket, "aws_s3_bucket", bucket.name));
}

function perBucket(
  ctx: AuditContext,
  type: string,
  judgeOne: (bucket: ResourceRef, companion: ResourceRef | undefined, count: number) => Finding[],
): Finding[] {
  return ctx.resources("aws_s3_bucket").flatMap((bucket) => {
    const found = companions(ctx, bucket, type);
    if (found.length === 0) return [fail(bucket, `no ${type} references this bucket`)];
    return judgeOne(bucket, found[0], found.length);
  });
}

export const S3_RULES: Rule[] = [
  {
    id: "S3-01",
    title: "One public access block per bucket",
    resourceTypes: ["aws_s3_bucket", "aws_s3_bucket_public_access_block"],
    checks: "every bucket has exactly one aws_s3_bucket_public_access_block whose `bucket` references it",
    why: "split S3 resources only protect the bucket they reference; a literal name or a second block drifts",
    scanners: ["CKV2_AWS_6", "AVD-AWS-0094"],
    check: (ctx) =>
      perBucket(ctx, "aws_s3_bucket_public_access_block", (bucket, pab, count) =>
        judge(bucket, [[count === 1, `${count} public access blocks reference this bucket; expected exactly one`]], `public access block ${pab!.address}`),
      ),
  },
  {
    id: "S3-02",
    title: "All four public-access-block flags on",
    resourceTypes: ["aws_s3_bucket_public_access_block"],
    checks: "block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets are all true",
    why: "any flag left off lets an ACL or policy make objects public",
    scanners: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093"],
    check: (ctx) =>
      ctx.resources("aws_s3_bucket_public_access_block").flatMap((r) =>
        judge(
          r,
          ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].map(
            (f) => [isTrue(r.body[f]), `${f} is ${JSON.stringify(r.body[f])}; expected true`] as [boolean, string],
          ),
          "all four flags true",
        ),
      ),
  },
  {
    id: "S3-03",
    title: "Bucket owner enforced, no public ACL",
    resourceTypes: ["aws_s3_bucket_ownership_controls", "aws_s3_bucket_acl"],
    checks: "each bucket's ownership controls are BucketOwnerEnforced; any aws_s3_bucket_acl is `private`",
    why: "ACLs disabled means only the bucket policy and IAM grant access",
    scanners: ["CKV2_AWS_65", "CKV_AWS_20", "CKV_AWS_57", "CKV2_AWS_43", "AVD-AWS-0092"],
    check: (ctx) => [
      ...perBucket(ctx, "aws_s3_bucket_ownership_controls", (bucket, oc) => {
        const ownership = block(oc!.body.rule)?.object_ownership;
        return judge(
          bucket,
          [[ownership === "BucketOwnerEnforced", `${oc!.address} object_ownership is ${JSON.stringify(ownership)}; expected "BucketOwnerEnforced"`]],
          "BucketOwnerEnforced",
        );
      }),
      ...ctx
        .resources("aws_s3_bucket_acl")
        .map((acl) =>
          acl.body.acl === "private"
            ? pass(acl, "private ACL")
            : fail(acl, `acl is ${JSON.stringify(acl.body.acl ?? acl.body.access_control_policy)}; expected no ACL resource, or "private"`),
        ),
    ],
  },
  {
    id: "S3-04",
    title: "Versioning enabled",
    resourceTypes: ["aws_s3_bucket_versioning"],
    checks: "versioning_configuration.status is Enabled on a resource that references the bucket",
    why: "versions recover overwritten or deleted snapshots",
    scanners: ["CKV_AWS_21", "AVD-AWS-0090"],
    check: (ctx) =>
      perBucket(ctx, "aws_s3_bucket_versioning", (bucket, v) => {
        const status = block(v!.body.versioning_configuration)?.status;
        return judge(bucket, [[status === "Enabled", `${v!.address} status is ${JSON.stringify(status)}; expected "Enabled"`]], "versioning Enabled");
      }),
  },
  {
    id: "S3-05",
    title: "SSE-KMS with the project's key",
    resourceTypes: ["aws_s3_bucket_server_side_encryption_configuration"],
    checks: "sse_algorithm is aws:kms and kms_master_key_id references an aws_kms_key of this stack",
    why: "a customer-managed key keeps the data readable only through this project's key policy",
    scanners: ["CKV_AWS_19", "CKV_AWS_145", "AVD-AWS-0088", "AVD-AWS-0132"],
    check: (ctx) =>
      perBucket(ctx, "aws_s3_bucket_server_side_encryption_configuration", (bucket, sse) => {
        const rules = blocks(sse!.body.rule);
        const byDefault = block(rules[0]?.apply_server_side_encryption_by_default);
        return judge(
          bucket,
          [
            [byDefault?.sse_algorithm === "aws:kms", `sse_algorithm is ${JSON.stringify(byDefault?.sse_algorithm)}; expected "aws:kms"`],
            [
              refersTo(byDefault?.kms_master_key_id, "aws_kms_key"),
              `kms_master_key_id is ${JSON.stringify(byDefault?.kms_master_key_id)}; expected a reference to the project's aws_kms_key`,
            ],
          ],
          "SSE-KMS with a project key",
        );
      }),
  },
  {
    id: "S3-06",
    title: "TLS-only bucket policy, no public Allow",
    resourceTypes: ["aws_s3_bucket_policy"],
    checks: "a Deny of s3:* on the bucket and bucket/* for Principal * when aws:SecureTransport is false; no Allow to *; no NotPrincipal lockout",
    why: "plain-HTTP requests are refused and the policy can never make the bucket public",
    scanners: ["CKV_AWS_379", "CKV_AWS_70", "CKV_AWS_93"],
    check: (ctx) =>
      perBucket(ctx, "aws_s3_bucket_policy", (bucket, policy) => {
        const doc = parsePolicyText(policy!.body.policy);
        if (!doc) return [fail(bucket, `${policy!.address} policy is not a literal JSON document`)];
        const statements = statementsOf(doc);
        const arn = `\${aws_s3_bucket.${bucket.name}.arn}`;
        const denyTls = statements.some(
          (s) =>
            s.Effect === "Deny" &&
            principalIsEveryone(s.Principal) &&
            asList(s.Action).some((a) => a === "s3:*") &&
            asList(s.Resource).includes(arn) &&
            asList(s.Resource).includes(`${arn}/*`) &&
            String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
        );
        const publicAllow = statements.some((s) => s.Effect === "Allow" && principalIsEveryone(s.Principal));
        const lockout = statements.some((s) => s.Effect === "Deny" && s.NotPrincipal !== undefined);
        return judge(
          bucket,
          [
            [denyTls, `${policy!.address} has no Deny of s3:* on ${arn} and ${arn}/* for Principal * with Bool aws:SecureTransport=false`],
            [!publicAllow, `${policy!.address} allows Principal *`],
            [!lockout, `${policy!.address} has a Deny with NotPrincipal (locks out everyone but the listed principals)`],
          ],
          "TLS-only policy without public access",
        );
      }),
  },
  {
    id: "S3-07",
    title: "Lifecycle aborts incomplete uploads",
    resourceTypes: ["aws_s3_bucket_lifecycle_configuration"],
    checks: "an Enabled rule with abort_incomplete_multipart_upload.days_after_initiation and an empty or whole-bucket filter",
    why: "abandoned multipart uploads are billed forever otherwise",
    scanners: ["CKV2_AWS_61", "CKV_AWS_300"],
    check: (ctx) =>
      perBucket(ctx, "aws_s3_bucket_lifecycle_configuration", (bucket, lc) => {
        const ok = blocks(lc!.body.rule).some((r) => {
          const filter = block(r.filter);
          const whole =
            filter === undefined || Object.keys(filter).length === 0 || ((filter.prefix ?? "") === "" && Object.keys(filter).every((k) => k === "prefix"));
          return r.status === "Enabled" && whole && block(r.abort_incomplete_multipart_upload)?.days_after_initiation !== undefined;
        });
        return judge(bucket, [[ok, `${lc!.address} has no Enabled whole-bucket rule aborting incomplete multipart uploads`]], "aborts incomplete uploads");
      }),
  },
  {
    id: "S3-08",
    title: "Old versions and short-lived data expire",
    resourceTypes: ["aws_s3_bucket_lifecycle_configuration"],
    checks: "an Enabled rule sets noncurrent_version_expiration; the clickstream prefix expires or transitions",
    why: "versioning without expiry of old versions grows cost without bound",
    scanners: [],
    check: (ctx) =>
      perBucket(ctx, "aws_s3_bucket_lifecycle_configuration", (bucket, lc) => {
        const rules = blocks(lc!.body.rule).filter((r) => r.status === "Enabled");
        const noncurrent = rules.some((r) => block(r.noncurrent_version_expiration)?.noncurrent_days !== undefined);
        const hasClickstream = rules.some((r) => /clickstream/.test(String(block(r.filter)?.prefix ?? "")) && (block(r.expiration) || block(r.transition)));
        return judge(
          bucket,
          [
            [noncurrent, `${lc!.address} has no Enabled noncurrent_version_expiration`],
            // Only the data bucket holds clickstream events (constructs/data-bucket.ts DATA_PREFIXES).
            [hasClickstream || !/-data-/.test(String(bucket.body.bucket)), `${lc!.address} never expires or transitions the clickstream/ prefix`],
          ],
          "old versions and clickstream expire",
        );
      }),
  },
];
