/**
 * release.secrets: secrets-manager (prod): Secrets Manager secrets with a CMK
 * and a recovery window, never holding a value in Terraform (SEC-05).
 */
import { synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";

const aws = synthExample("prod").aws!;
const secrets = resourcesOfType(aws, "aws_secretsmanager_secret");

test("one secret per release secret, named <prefix>-<env>/<Kubernetes Secret>", () => {
  expect(Object.values(secrets).map((s: any) => s.name).sort()).toEqual([
    "layer-prod/layer-vector-store",
    "layer-prod/layer-vector-store-inbound-pipelines",
    "layer-prod/layer-vector-store-inbound-platform-admin",
  ]);
});

test.each(Object.keys(secrets))("SEC-05: %s uses the release-secrets CMK and a 7-30 day recovery window", (id) => {
  const s = secrets[id];
  expect(s.kms_key_id).toBe("${aws_kms_key.release_secrets_key.arn}");
  expect(s.recovery_window_in_days).toBeGreaterThanOrEqual(7);
  expect(s.recovery_window_in_days).toBeLessThanOrEqual(30);
  expect(s.lifecycle?.prevent_destroy).toBe(true);
});

test("SEC-05: Terraform never holds a value (no secret version, no secret_string)", () => {
  expect(resourcesOfType(aws, "aws_secretsmanager_secret_version")).toEqual({});
  expect(JSON.stringify(aws)).not.toMatch(/secret_string/);
});

test("the secret ARNs are outputs, for the External Secrets / ASCP policy", () => {
  expect(Object.keys(aws.output ?? {})).toEqual(expect.arrayContaining(["layer_vector_store_secret_arn"]));
});
