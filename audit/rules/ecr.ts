/** ECR-01..05: immutable, scanned, encrypted repositories with lifecycle policies. */
import { block, isTrue, refersTo } from "../terraform";
import { judge } from "../findings";
import { parsePolicyText, principalIsEveryone, statementsOf } from "../iam/policy";
import type { Rule } from "../types";

export const ECR_RULES: Rule[] = [
  {
    id: "ECR-01",
    title: "Immutable image tags",
    resourceTypes: ["aws_ecr_repository"],
    checks: "image_tag_mutability is IMMUTABLE",
    why: "a pinned tag always means the same image",
    scanners: ["CKV_AWS_51", "AVD-AWS-0031"],
    check: (ctx) =>
      ctx
        .resources("aws_ecr_repository")
        .flatMap((r) =>
          judge(
            r,
            [[r.body.image_tag_mutability === "IMMUTABLE", `image_tag_mutability is ${JSON.stringify(r.body.image_tag_mutability)}; expected "IMMUTABLE"`]],
            "IMMUTABLE",
          ),
        ),
  },
  {
    id: "ECR-02",
    title: "Scan on push",
    resourceTypes: ["aws_ecr_repository", "aws_ecr_registry_scanning_configuration"],
    checks: "image_scanning_configuration.scan_on_push is true, or the registry scans ENHANCED",
    why: "vulnerable images are flagged before they run",
    scanners: ["CKV_AWS_163", "AVD-AWS-0030"],
    check: (ctx) => {
      const enhanced = ctx.resources("aws_ecr_registry_scanning_configuration").some((r) => r.body.scan_type === "ENHANCED");
      return ctx
        .resources("aws_ecr_repository")
        .flatMap((r) =>
          judge(
            r,
            [
              [
                enhanced || isTrue(block(r.body.image_scanning_configuration)?.scan_on_push),
                "scan_on_push is not true and the registry does not scan ENHANCED",
              ],
            ],
            "scanned on push",
          ),
        );
    },
  },
  {
    id: "ECR-03",
    title: "KMS encryption",
    resourceTypes: ["aws_ecr_repository"],
    checks: "encryption_configuration.encryption_type is KMS with a project key",
    why: "images are encrypted with a key this project controls",
    scanners: ["CKV_AWS_136", "AVD-AWS-0033"],
    check: (ctx) =>
      ctx.resources("aws_ecr_repository").flatMap((r) => {
        const enc = block(r.body.encryption_configuration);
        return judge(
          r,
          [
            [enc?.encryption_type === "KMS", `encryption_type is ${JSON.stringify(enc?.encryption_type)}; expected "KMS"`],
            [refersTo(enc?.kms_key, "aws_kms_key"), "kms_key does not reference a project aws_kms_key"],
          ],
          "KMS",
        );
      }),
  },
  {
    id: "ECR-04",
    title: "One lifecycle policy per repository",
    resourceTypes: ["aws_ecr_lifecycle_policy"],
    checks: "exactly one aws_ecr_lifecycle_policy references each repository; it expires untagged images and caps the count",
    why: "untagged layers and old images are billed forever otherwise",
    scanners: [],
    check: (ctx) =>
      ctx.resources("aws_ecr_repository").flatMap((repo) => {
        const policies = ctx.resources("aws_ecr_lifecycle_policy").filter((p) => refersTo(p.body.repository, "aws_ecr_repository", repo.name));
        let rules: any[] = [];
        try {
          rules = JSON.parse(policies[0]?.body.policy ?? "{}").rules ?? [];
        } catch {
          rules = [];
        }
        return judge(
          repo,
          [
            [policies.length === 1, `${policies.length} lifecycle policies reference this repository; expected one`],
            [rules.some((x) => x.selection?.tagStatus === "untagged" && x.action?.type === "expire"), "no rule expires untagged images"],
            [rules.some((x) => x.selection?.countType === "imageCountMoreThan" && x.action?.type === "expire"), "no rule caps the image count"],
          ],
          "lifecycle policy expires untagged images and caps the count",
        );
      }),
  },
  {
    id: "ECR-05",
    title: "No public repository policy",
    resourceTypes: ["aws_ecr_repository_policy"],
    checks: "no statement grants Principal * or {AWS: *}",
    why: "images can hold proprietary code",
    scanners: ["CKV_AWS_32", "AVD-AWS-0032"],
    check: (ctx) =>
      ctx
        .resources("aws_ecr_repository_policy")
        .flatMap((r) =>
          judge(
            r,
            [
              [
                !statementsOf(parsePolicyText(r.body.policy)).some((s) => s.Effect === "Allow" && principalIsEveryone(s.Principal)),
                "a statement allows Principal *",
              ],
            ],
            "no public principal",
          ),
        ),
  },
];
