import { exampleEnvironmentNames, synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";

describe.each(exampleEnvironmentNames().filter((n) => synthExample(n).aws))("KMS keys in %s", (name) => {
  const stack = synthExample(name).aws;
  const keys = resourcesOfType(stack, "aws_kms_key");

  test.each(Object.keys(keys))("%s rotates, is enabled and has an explicit policy without open Allows (KMS-01, KMS-02)", (id) => {
    const key = keys[id];
    expect(key.enable_key_rotation).toBe(true);
    expect(key.is_enabled).not.toBe(false);
    const policy = JSON.parse(key.policy);
    for (const s of policy.Statement) {
      if (s.Effect !== "Allow") continue;
      const open = s.Principal === "*" || s.Principal?.AWS === "*";
      if (open) expect(s.Condition).toBeDefined();
    }
  });

  test("every key has an alias", () => {
    const aliased = Object.values(resourcesOfType(stack, "aws_kms_alias")).map((a: any) => a.target_key_id);
    for (const id of Object.keys(keys)) expect(aliased).toContain(`\${aws_kms_key.${id}.key_id}`);
  });
});
