/**
 * Proves the terraform tier can fail: a dangling reference and an invalid
 * enum, each planted in an otherwise valid stack, are rejected by validate.
 */
import { synthExample } from "../helpers/synth";
import { TerraformWorkdir, announceSkip, findToolchain, offlineOverride } from "../helpers/terraform";

const toolchain = findToolchain();

function withMutation(mutate: (stack: any) => void): any {
  const stack = JSON.parse(JSON.stringify(synthExample("dev").aws));
  mutate(stack);
  return stack;
}

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else {
  test.each([
    [
      "a reference to a resource that does not exist",
      (stack: any) => {
        stack.resource.aws_s3_bucket_versioning.data_bucket_versioning.bucket = "${aws_s3_bucket.no_such_bucket.id}";
      },
      /Reference to undeclared resource/,
    ],
    [
      "an enum value the provider rejects",
      (stack: any) => {
        stack.resource.aws_ecr_repository.image_registry_gateway.image_tag_mutability = "SOMETIMES";
      },
      /expected image_tag_mutability to be one of/,
    ],
  ])("validate rejects %s", (_label, mutate, message) => {
    const workdir = new TerraformWorkdir(toolchain, {
      "cdk.tf.json": withMutation(mutate),
      "offline_override.tf.json": offlineOverride(),
    });
    try {
      const result = workdir.validateAndPlan();
      expect(result.status).not.toBe(0);
      expect(result.step).toBe("validate");
      expect(result.output).toMatch(message);
    } finally {
      workdir.remove();
    }
  });
}
