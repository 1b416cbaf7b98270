import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { block } from "../helpers/terraform-json";

describe("AWS stack settings", () => {
  test("the provider only works in the environment's account and region", () => {
    const provider = block<any>(synthExample("prod").aws!.provider!.aws);
    expect(provider.allowed_account_ids).toEqual(["210987654321"]);
    expect(provider.region).toBe("eu-west-1");
    expect(provider.access_key).toBeUndefined();
    expect(provider.secret_key).toBeUndefined();
  });

  test("default tags name the environment and carry the environment's own tags", () => {
    const tags = block<any>(block<any>(synthExample("prod").aws!.provider!.aws).default_tags).tags;
    expect(tags).toMatchObject({ "hev.dev/environment": "prod", "hev.dev/product": "layer", "cost-center": "search-platform" });
  });

  test("S3 state is encrypted and locked with an S3 lock file, not DynamoDB (TF-01, TF-02)", () => {
    const backend = synthExample("prod").aws!.terraform!.backend;
    expect(backend.s3).toEqual({
      bucket: "acme-terraform-state-eu-west-1",
      key: "layer/prod/layer-prod-aws.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
    });
    expect(backend.s3.dynamodb_table).toBeUndefined();
  });

  test("without a configured backend, state is a project-relative local file", () => {
    const backend = synthExample("dev").aws!.terraform!.backend;
    expect(backend).toEqual({ local: { path: "../../../terraform.layer-dev-aws.tfstate" } });
    expect(synthExample("dev").helm.terraform!.backend).toEqual({ local: { path: "../../../terraform.layer-dev-helm.tfstate" } });
  });

  test("requires Terraform 1.11 (write-only arguments, S3 lock files) and pins the AWS provider", () => {
    const terraform = synthExample("dev").aws!.terraform!;
    expect(terraform.required_version).toBe(">= 1.11.0");
    expect(terraform.required_providers.aws.version).toBe("5.100.0");
  });

  test("outputs what the Helm stage needs: bucket and repositories", () => {
    const outputs = synthExample("dev").aws!.output!;
    expect(outputs.data_bucket_name.value).toBe("${aws_s3_bucket.data_bucket.bucket}");
    expect(outputs.data_bucket_arn.value).toBe("${aws_s3_bucket.data_bucket.arn}");
    for (const image of ["gateway", "operator", "functions"]) {
      expect(outputs[`${image}_repository_url`].value).toBe(`\${aws_ecr_repository.image_registry_${image}.repository_url}`);
    }
  });

  test("outputs what the Helm stack and the product chart need of the cluster and the roles", () => {
    for (const name of ["dev", "prod", "existing"]) {
      const outputs = synthExample(name).aws!.output!;
      for (const key of [
        "cluster_name",
        "cluster_endpoint",
        "cluster_certificate_authority_data",
        "cluster_oidc_issuer_url",
        "oidc_provider_arn",
        "vpc_id",
        "worker_subnet_ids",
        "cluster_security_group_id",
        "node_security_group_id",
        "region",
        "gateway_role_arn",
        "dashboard_role_arn",
        "operator_role_arn",
      ]) {
        expect(outputs[key]).toBeDefined();
      }
    }
    const outputs = synthExample("dev").aws!.output!;
    expect(outputs.cluster_endpoint.value).toBe("${aws_eks_cluster.eks_cluster.endpoint}");
    expect(outputs.cluster_certificate_authority_data.value).toBe("${aws_eks_cluster.eks_cluster.certificate_authority[0].data}");
    expect(outputs.cluster_oidc_issuer_url.value).toBe("https://${local.eks_cluster_oidc_issuer_host}");
    expect(outputs.oidc_provider_arn.value).toBe("${aws_iam_openid_connect_provider.eks_cluster_oidc_provider.arn}");
    expect(outputs.vpc_id.value).toBe("${aws_vpc.network.id}");
    expect(outputs.worker_subnet_ids.value).toEqual(["${aws_subnet.network_public_us_east_1a.id}", "${aws_subnet.network_public_us_east_1b.id}"]);
    expect(outputs.gateway_role_arn.value).toBe("${aws_iam_role.product_roles_gateway.arn}");
    expect(outputs.dashboard_role_arn.value).toBe("${aws_iam_role.product_roles_dashboard.arn}");
    expect(outputs.operator_role_arn.value).toBe("${aws_iam_role.product_roles_operator.arn}");
  });

  test("fresh-cluster mode reads nothing from AWS at plan time", () => {
    for (const name of ["dev", "prod"]) expect(synthExample(name).aws!.data).toBeUndefined();
  });

  test("helm-only environments have no AWS stack", () => {
    expect(synthExample("helm-only").aws).toBeUndefined();
  });

  test("a custom backend key template and region: each stack writes its name into the key", () => {
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}backend:\n  s3:\n    bucket: tf-state\n    key: custom/{stack}.tfstate\n    region: eu-central-1\n`);
    const synthesized = synthEnvironment(env);
    expect(synthesized.aws!.terraform!.backend.s3).toMatchObject({
      key: "custom/layer-test-aws.tfstate",
      region: "eu-central-1",
      encrypt: true,
      use_lockfile: true,
    });
    expect(synthesized.helm.terraform!.backend.s3).toMatchObject({
      key: "custom/layer-test-helm.tfstate",
      region: "eu-central-1",
      encrypt: true,
      use_lockfile: true,
    });
  });

  test("the default S3 keys differ per stack", () => {
    const helm = synthExample("prod").helm.terraform!.backend.s3;
    expect(helm.key).toBe("layer/prod/layer-prod-helm.tfstate");
  });
});
