/**
 * Proves the terraform tier can fail: a dangling reference and an invalid
 * enum, each planted in an otherwise valid stack, are rejected by the
 * validation that opens every plan. Both broken stacks sit in one root (a
 * module each), so the proof costs one init and one plan however large the
 * stack grows.
 */
import { synthExample } from "../helpers/synth";
import { TerraformWorkdir, announceSkip, findToolchain, offlineOverride } from "../helpers/terraform";

const toolchain = findToolchain();

function withMutation(mutate: (stack: any) => void): any {
  const stack = JSON.parse(JSON.stringify(synthExample("dev").aws));
  mutate(stack);
  return stack;
}

const CASES: Array<[string, string, (stack: any) => void, RegExp]> = [
  [
    "a reference to a resource that does not exist",
    "dangling_reference",
    (stack) => {
      stack.resource.aws_s3_bucket_versioning.data_bucket_versioning.bucket = "${aws_s3_bucket.no_such_bucket.id}";
    },
    /Reference to undeclared resource[\s\S]*?dangling_reference\/cdk\.tf\.json/,
  ],
  [
    "an enum value the provider rejects",
    "invalid_enum",
    (stack) => {
      stack.resource.aws_ecr_repository.image_registry_gateway.image_tag_mutability = "SOMETIMES";
    },
    /expected image_tag_mutability to be one of[\s\S]*?invalid_enum\/cdk\.tf\.json|invalid_enum\/cdk\.tf\.json[\s\S]*?expected image_tag_mutability to be one of/,
  ],
];

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else {
  let result: { step: string; status: number; output: string };
  beforeAll(() => {
    const files: Record<string, unknown> = {
      "main.tf.json": {
        terraform: { backend: { local: { path: "terraform.tfstate" } } },
        module: Object.fromEntries(CASES.map(([, name]) => [name, { source: `./${name}` }])),
      },
    };
    for (const [, name, mutate] of CASES) {
      files[`${name}/cdk.tf.json`] = withMutation(mutate);
      files[`${name}/offline_override.tf.json`] = offlineOverride();
    }
    const workdir = new TerraformWorkdir(toolchain, files);
    try {
      result = workdir.planOffline();
    } finally {
      workdir.remove();
    }
  });

  test("the plan fails", () => {
    expect(result.status).not.toBe(0);
    expect(result.step).toBe("plan");
  });

  test.each(CASES)("the plan's validation rejects %s", (_label, _name, _mutate, message) => {
    expect(result.output).toMatch(message);
  });
}
