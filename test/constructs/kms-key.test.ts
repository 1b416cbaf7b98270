import { exampleEnvironmentNames, synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";

describe.each(exampleEnvironmentNames().filter((n) => synthExample(n).aws))("KMS keys in %s", (name) => {
  const stack = synthExample(name).aws;
  const keys = resourcesOfType(stack, "aws_kms_key");

  test.each(Object.keys(keys))("%s rotates, is enabled and has an explicit policy without open Allows (KMS-01, KMS-02)", (id) => {
    const key = keys[id];
    expect(key.enable_key_rotation).toBe(true);
    expect(key.is_enabled).not.toBe(false);
    const statements: any[] = JSON.parse(key.policy).Statement;
    const env = synthExample(name).env;
    // The account administers the key through IAM (no lock-out): the first statement, by exact principal.
    expect(statements[0]).toEqual(expect.objectContaining({ Effect: "Allow", Principal: { AWS: `arn:${env.partition}:iam::${env.accountId}:root` } }));
    // Any other Allow names a principal: never "*" (KMS-02), and an AWS service only under a condition.
    const openAllows = statements.filter((s) => s.Effect === "Allow" && (s.Principal === "*" || s.Principal?.AWS === "*"));
    expect(openAllows).toEqual([]);
    const unconditionedServices = statements.filter((s) => s.Effect === "Allow" && s.Principal?.Service && !s.Condition).map((s) => s.Sid);
    expect(unconditionedServices).toEqual([]);
  });

  test("every key has an alias", () => {
    const aliased = Object.values(resourcesOfType(stack, "aws_kms_alias")).map((a: any) => a.target_key_id);
    for (const id of Object.keys(keys)) expect(aliased).toContain(`\${aws_kms_key.${id}.key_id}`);
  });
});
