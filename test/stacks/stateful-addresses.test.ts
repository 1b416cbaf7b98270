/**
 * Terraform addresses of stateful resources are a public API: renaming one
 * makes Terraform destroy and recreate it, losing data. A change here must be
 * deliberate and come with a `moved` block or a state migration note.
 */
import { exampleEnvironmentNames, synthExample } from "../helpers/synth";
import { addresses } from "../helpers/terraform-json";
// The same list the review uses to flag replacements: one definition of "stateful".
import { STATEFUL_TYPES } from "../../review/inventory";

const BASE_ADDRESSES = [
  "aws_ecr_repository.image_registry_dashboard",
  "aws_ecr_repository.image_registry_functions",
  "aws_ecr_repository.image_registry_gateway",
  // The product chart as an OCI artifact (helm push names the repository after the chart).
  "aws_ecr_repository.image_registry_layer",
  "aws_ecr_repository.image_registry_operator",
  "aws_kms_key.data_bucket_key",
  "aws_kms_key.image_registry_key",
  "aws_s3_bucket.data_bucket",
];

const FRESH_CLUSTER_ADDRESSES = [
  "aws_cloudwatch_log_group.eks_cluster_logs",
  "aws_eks_cluster.eks_cluster",
  "aws_kms_key.eks_cluster_logs_key",
  "aws_kms_key.eks_cluster_secrets_key",
];

/** The shared EFS file system and its key (cluster add-ons, on with a fresh cluster). */
const EFS_ADDRESSES = ["aws_efs_file_system.efs", "aws_kms_key.efs_key"];

export const PINNED: Record<string, string[]> = {
  dev: [...BASE_ADDRESSES, ...FRESH_CLUSTER_ADDRESSES, ...EFS_ADDRESSES],
  // release.secrets: secrets-manager (one secret per release secret, their own key).
  prod: [
    ...BASE_ADDRESSES,
    ...FRESH_CLUSTER_ADDRESSES,
    ...EFS_ADDRESSES,
    "aws_cloudwatch_log_group.network_flow_logs",
    "aws_kms_key.network_flow_logs_key",
    "aws_kms_key.release_secrets_key",
    // dns.managePublicDns: the zone created here.
    "aws_route53_zone.public_dns_zone",
    "aws_secretsmanager_secret.release_secrets_layer_dashboard_password",
    "aws_secretsmanager_secret.release_secrets_layer_key_pepper",
    "aws_secretsmanager_secret.release_secrets_layer_license",
    "aws_secretsmanager_secret.release_secrets_layer_vector_store",
    "aws_secretsmanager_secret.release_secrets_layer_vector_store_inbound_pipelines",
  ],
  existing: BASE_ADDRESSES,
  "helm-only": [],
};

test.each(exampleEnvironmentNames())("stateful addresses of %s are pinned", (name) => {
  const { aws } = synthExample(name);
  const stateful = addresses(aws).filter((a) => (STATEFUL_TYPES as readonly string[]).includes(a.split(".")[0]));
  expect(stateful).toEqual([...(PINNED[name] ?? [])].sort());
});

test("prod protects every stateful resource from destroy (LIFE-01)", () => {
  const { aws } = synthExample("prod");
  for (const address of PINNED.prod) {
    const [type, name] = address.split(".");
    expect({ address, lifecycle: aws!.resource![type][name].lifecycle }).toEqual({ address, lifecycle: expect.objectContaining({ prevent_destroy: true }) });
  }
});

test("every example environment has a pinned list", () => {
  expect(exampleEnvironmentNames().sort()).toEqual(Object.keys(PINNED).sort());
});
