/**
 * release.secrets: secrets-manager (prod): Secrets Manager secrets with a CMK
 * and a recovery window, never holding a value in Terraform (SEC-05).
 */
import { synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";

const aws = synthExample("prod").aws!;
const secrets = resourcesOfType(aws, "aws_secretsmanager_secret");

test("one secret per release secret, named <prefix>-<env>/<id>", () => {
  expect(
    Object.values(secrets)
      .map((s: any) => s.name)
      .sort(),
  ).toEqual([
    "layer-prod/layer-dashboard-password",
    "layer-prod/layer-key-pepper",
    "layer-prod/layer-license",
    "layer-prod/layer-vector-store",
    "layer-prod/layer-vector-store-inbound-pipelines",
  ]);
});

test.each(Object.keys(secrets))("SEC-05: %s uses the release-secrets CMK and a 7-30 day recovery window", (id) => {
  const s = secrets[id];
  expect(s.kms_key_id).toBe("${aws_kms_key.release_secrets_key.arn}");
  expect(s.recovery_window_in_days).toBeGreaterThanOrEqual(7);
  expect(s.recovery_window_in_days).toBeLessThanOrEqual(30);
  expect(s.lifecycle?.prevent_destroy).toBe(true);
});

test("SEC-05: Terraform never holds a value: generated ones are written once, write-only, from an ephemeral generator", () => {
  const versions = resourcesOfType(aws, "aws_secretsmanager_secret_version");
  expect(Object.keys(versions).sort()).toEqual(["release_secrets_layer_dashboard_password_value", "release_secrets_layer_key_pepper_value"]);
  for (const [name, version] of Object.entries<any>(versions)) {
    const id = name.replace(/^release_secrets_/, "").replace(/_value$/, "");
    expect(version).toEqual({
      secret_id: `\${aws_secretsmanager_secret.release_secrets_${id}.id}`,
      secret_string_wo: `\${ephemeral.aws_secretsmanager_random_password.${id}_generator.random_password}`,
      // Never bumped: the pepper must survive every apply.
      secret_string_wo_version: 1,
    });
  }
  const generators = (aws as any).ephemeral.aws_secretsmanager_random_password;
  expect(Object.keys(generators).sort()).toEqual(["layer_dashboard_password_generator", "layer_key_pepper_generator"]);
  expect(generators.layer_key_pepper_generator).toMatchObject({ password_length: 48, exclude_punctuation: true });
  expect(JSON.stringify(aws)).not.toMatch(/"secret_string"/);
});

test("the secret ARNs are outputs, for the External Secrets / ASCP policy", () => {
  expect(Object.keys(aws.output ?? {})).toEqual(expect.arrayContaining(["layer_vector_store_secret_arn"]));
});
