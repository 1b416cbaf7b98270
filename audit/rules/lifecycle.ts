/** LIFE-01..03: nothing stateful is lost by a destroy or a rename. */
import { STATEFUL_TYPES as STATEFUL } from "../../tfjson/stack-json";
import { block, isFalseOrAbsent, isTrue } from "../terraform";
import { judge } from "../findings";
import type { Rule } from "../types";

/** Types whose destroy loses data or makes data unreadable (security bar LIFE-01): the one list review and tests share. */
export const STATEFUL_TYPES: readonly string[] = STATEFUL;

export const LIFECYCLE_RULES: Rule[] = [
  {
    id: "LIFE-01",
    title: "prevent_destroy on stateful resources in protected environments",
    resourceTypes: STATEFUL_TYPES,
    checks: "lifecycle.prevent_destroy is true on every bucket, file system, repository, KMS key, cluster, log group, secret and hosted zone",
    why: "a plan that would destroy data stops instead; cdktf writes literals, so the value is per environment",
    scanners: [],
    protectedOnly: true,
    check: (ctx) =>
      ctx
        .resources(...STATEFUL_TYPES)
        .flatMap((r) =>
          judge(r, [[isTrue(block(r.body.lifecycle)?.prevent_destroy), "lifecycle.prevent_destroy is not true in a protected environment"]], "prevent_destroy"),
        ),
  },
  {
    id: "LIFE-02",
    title: "Service-side deletion guards stay on",
    resourceTypes: ["aws_s3_bucket", "aws_ecr_repository"],
    checks: "aws_s3_bucket.force_destroy and aws_ecr_repository.force_delete are absent or false",
    why: "prevent_destroy vanishes with the resource block; S3 and ECR then still refuse to delete non-empty buckets and repositories",
    scanners: [],
    check: (ctx) => [
      ...ctx
        .resources("aws_s3_bucket")
        .flatMap((r) =>
          judge(r, [[isFalseOrAbsent(r.body.force_destroy), `force_destroy is ${JSON.stringify(r.body.force_destroy)}; expected false`]], "force_destroy off"),
        ),
      ...ctx
        .resources("aws_ecr_repository")
        .flatMap((r) =>
          judge(r, [[isFalseOrAbsent(r.body.force_delete), `force_delete is ${JSON.stringify(r.body.force_delete)}; expected false`]], "force_delete off"),
        ),
    ],
  },
  {
    id: "LIFE-03",
    title: "Cluster deletion protection in protected environments",
    resourceTypes: ["aws_eks_cluster"],
    checks: "deletion_protection is true",
    why: "EKS refuses to delete a protected cluster even when the resource block is removed",
    scanners: [],
    protectedOnly: true,
    check: (ctx) =>
      ctx
        .resources("aws_eks_cluster")
        .flatMap((r) => judge(r, [[isTrue(r.body.deletion_protection), "deletion_protection is not true"]], "deletion_protection on")),
  },
];
