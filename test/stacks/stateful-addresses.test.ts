/**
 * Terraform addresses of stateful resources are a public API: renaming one
 * makes Terraform destroy and recreate it, losing data. A change here must be
 * deliberate and come with a `moved` block or a state migration note.
 */
import { exampleEnvironmentNames, synthExample } from "../helpers/synth";
import { addresses } from "../helpers/terraform-json";

const STATEFUL_TYPES = [
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_ecr_repository",
  "aws_efs_file_system",
  "aws_eks_cluster",
  "aws_cloudwatch_log_group",
  "aws_secretsmanager_secret",
  "aws_route53_zone",
];

const BASE_ADDRESSES = [
  "aws_ecr_repository.image_registry_functions",
  "aws_ecr_repository.image_registry_gateway",
  "aws_ecr_repository.image_registry_operator",
  "aws_kms_key.data_bucket_key",
  "aws_kms_key.image_registry_key",
  "aws_s3_bucket.data_bucket",
];

export const PINNED: Record<string, string[]> = {
  dev: BASE_ADDRESSES,
  // release.secrets: secrets-manager (one secret per release secret, their own key).
  prod: [
    ...BASE_ADDRESSES,
    "aws_kms_key.release_secrets_key",
    "aws_secretsmanager_secret.release_secrets_layer_vector_store",
    "aws_secretsmanager_secret.release_secrets_layer_vector_store_inbound_pipelines",
    "aws_secretsmanager_secret.release_secrets_layer_vector_store_inbound_platform_admin",
  ],
  existing: BASE_ADDRESSES,
  "helm-only": [],
};

test.each(exampleEnvironmentNames())("stateful addresses of %s are pinned", (name) => {
  const { aws } = synthExample(name);
  const stateful = addresses(aws).filter((a) => STATEFUL_TYPES.includes(a.split(".")[0]));
  expect(stateful).toEqual([...(PINNED[name] ?? [])].sort());
});

test("every example environment has a pinned list", () => {
  expect(exampleEnvironmentNames().sort()).toEqual(Object.keys(PINNED).sort());
});
