import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { asList, block, onlyResource, resourcesOfType } from "../helpers/terraform-json";

const dev = synthExample("dev").aws;
const BUCKET_REF = "${aws_s3_bucket.data_bucket.id}";

describe("data bucket", () => {
  test("name is unique per account and region, and force_destroy is off (LIFE-02)", () => {
    const bucket = onlyResource(dev, "aws_s3_bucket");
    expect(bucket.bucket).toBe("layer-dev-data-123456789012-us-east-1");
    expect(bucket.force_destroy).toBe(false);
  });

  test("exactly one public access block, all four flags on, on this bucket (S3-01, S3-02)", () => {
    const pab = onlyResource(dev, "aws_s3_bucket_public_access_block");
    expect(pab.bucket).toBe(BUCKET_REF);
    for (const flag of ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]) {
      expect(pab[flag]).toBe(true);
    }
  });

  test("ACLs are disabled with BucketOwnerEnforced and no ACL resource exists (S3-03)", () => {
    const ownership = onlyResource(dev, "aws_s3_bucket_ownership_controls");
    expect(ownership.bucket).toBe(BUCKET_REF);
    expect(block(ownership.rule).object_ownership).toBe("BucketOwnerEnforced");
    expect(resourcesOfType(dev, "aws_s3_bucket_acl")).toEqual({});
  });

  test("versioning is enabled (S3-04)", () => {
    const versioning = onlyResource(dev, "aws_s3_bucket_versioning");
    expect(versioning.bucket).toBe(BUCKET_REF);
    expect(block(versioning.versioning_configuration).status).toBe("Enabled");
  });

  test("SSE-KMS with the bucket's own rotating key and a bucket key (S3-05, KMS-01)", () => {
    const sse = onlyResource(dev, "aws_s3_bucket_server_side_encryption_configuration");
    const rule = block(sse.rule);
    expect(rule.bucket_key_enabled).toBe(true);
    expect(block(rule.apply_server_side_encryption_by_default)).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: "${aws_kms_key.data_bucket_key.arn}",
    });
    const key = resourcesOfType(dev, "aws_kms_key").data_bucket_key;
    expect(key.enable_key_rotation).toBe(true);
    expect(key.is_enabled).toBe(true);
  });

  test("the bucket policy denies every request without TLS and allows nobody (S3-06)", () => {
    const policy = JSON.parse(onlyResource(dev, "aws_s3_bucket_policy").policy);
    expect(policy.Statement).toHaveLength(1);
    const [deny] = policy.Statement;
    expect(deny).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(deny.Resource).toEqual(["${aws_s3_bucket.data_bucket.arn}", "${aws_s3_bucket.data_bucket.arn}/*"]);
  });

  test("lifecycle aborts stale uploads, expires old versions, and keeps history and clickstream for their retention (S3-07, S3-08)", () => {
    const lifecycle = onlyResource(dev, "aws_s3_bucket_lifecycle_configuration");
    expect(lifecycle.bucket).toBe(BUCKET_REF);
    const rules = asList<any>(lifecycle.rule);
    const whole = rules.find((r) => JSON.stringify(block(r.filter) ?? {}) === "{}");
    expect(whole.status).toBe("Enabled");
    expect(block<any>(whole.abort_incomplete_multipart_upload).days_after_initiation).toBeGreaterThan(0);
    expect(block<any>(whole.noncurrent_version_expiration).noncurrent_days).toBe(30);
    const byPrefix = Object.fromEntries(
      rules.filter((r) => block<any>(r.filter)?.prefix).map((r) => [block<any>(r.filter).prefix, block<any>(r.expiration).days]),
    );
    expect(byPrefix).toEqual({ "search-history/": 90, "clickstream/": 30 });
  });

  test("retention comes from the environment file", () => {
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}dataBucket:\n  clickstreamRetentionDays: 7\n  searchHistoryRetentionDays: 400\n`);
    const rules = asList<any>(onlyResource(synthEnvironment(env).aws, "aws_s3_bucket_lifecycle_configuration").rule);
    const days = (prefix: string) => block<any>(rules.find((r) => block<any>(r.filter)?.prefix === prefix).expiration).days;
    expect(days("clickstream/")).toBe(7);
    expect(days("search-history/")).toBe(400);
  });

  test("prevent_destroy only in protected environments (LIFE-01)", () => {
    expect(onlyResource(dev, "aws_s3_bucket").lifecycle).toBeUndefined();
    const prod = synthExample("prod").aws;
    expect(onlyResource(prod, "aws_s3_bucket").lifecycle).toEqual({ prevent_destroy: true });
    expect(resourcesOfType(prod, "aws_kms_key").data_bucket_key.lifecycle).toEqual({ prevent_destroy: true });
  });
});
