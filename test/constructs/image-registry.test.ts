import { synthExample } from "../helpers/synth";
import { block, resourcesOfType } from "../helpers/terraform-json";

const dev = synthExample("dev").aws;
const repositories = resourcesOfType(dev, "aws_ecr_repository");
const lifecycles = resourcesOfType(dev, "aws_ecr_lifecycle_policy");

describe("image registry", () => {
  test("one repository each for the gateway, the operator, the dashboard, customer functions and the product chart", () => {
    expect(
      Object.values(repositories)
        .map((r: any) => r.name)
        .sort(),
    ).toEqual(["layer-dev/dashboard", "layer-dev/functions", "layer-dev/gateway", "layer-dev/layer", "layer-dev/operator"]);
  });

  test.each(Object.keys(repositories))("%s: immutable tags, scan on push, KMS, no force delete (ECR-01..03, LIFE-02)", (name) => {
    const repo = repositories[name];
    expect(repo.image_tag_mutability).toBe("IMMUTABLE");
    expect(block<any>(repo.image_scanning_configuration).scan_on_push).toBe(true);
    expect(block<any>(repo.encryption_configuration)).toEqual({ encryption_type: "KMS", kms_key: "${aws_kms_key.image_registry_key.arn}" });
    expect(repo.force_delete).not.toBe(true);
  });

  test("each repository has one lifecycle policy that expires untagged images and caps the count (ECR-04)", () => {
    const byRepository = Object.values(lifecycles)
      .map((l: any) => l.repository)
      .sort();
    expect(byRepository).toEqual(
      Object.keys(repositories)
        .map((n) => `\${aws_ecr_repository.${n}.name}`)
        .sort(),
    );
    for (const l of Object.values(lifecycles) as any[]) {
      const rules = JSON.parse(l.policy).rules;
      expect(rules).toContainEqual(
        expect.objectContaining({ selection: expect.objectContaining({ tagStatus: "untagged", countType: "sinceImagePushed" }), action: { type: "expire" } }),
      );
      const cap = rules.find((r: any) => r.selection.countType === "imageCountMoreThan");
      expect(cap.selection.tagStatus).toBe("any");
      // ECR requires the `any` rule to have the lowest priority (highest number).
      expect(cap.rulePriority).toBe(Math.max(...rules.map((r: any) => r.rulePriority)));
    }
  });

  test("no repository policy opens the registry to everyone (ECR-05)", () => {
    for (const p of Object.values(resourcesOfType(dev, "aws_ecr_repository_policy")) as any[]) {
      expect(p.policy).not.toMatch(/"Principal":"\*"|"AWS":"\*"/);
    }
  });

  test("protected environments add prevent_destroy to every repository (LIFE-01)", () => {
    const prod = resourcesOfType(synthExample("prod").aws, "aws_ecr_repository");
    for (const repo of Object.values(prod) as any[]) expect(repo.lifecycle).toEqual({ prevent_destroy: true });
    for (const repo of Object.values(repositories) as any[]) expect(repo.lifecycle).toBeUndefined();
  });
});
