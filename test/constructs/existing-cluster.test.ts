import { Testing } from "cdktf";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { addresses, block, resourcesOfType } from "../helpers/terraform-json";
import { addEnvironment } from "../../stacks/environment-stacks";

const existing = synthExample("existing").aws!;

describe("existing-cluster mode", () => {
  test("reads the cluster by name and its OIDC provider by the cluster's issuer", () => {
    expect(existing.data!.aws_eks_cluster.existing_cluster.name).toBe("platform-shared");
    expect(existing.data!.aws_iam_openid_connect_provider.existing_cluster_oidc_provider.url).toBe(
      "${data.aws_eks_cluster.existing_cluster.identity[0].oidc[0].issuer}",
    );
  });

  test("creates no VPC, cluster, node group, add-ons or cluster keys, but still the bucket, ECR and product roles", () => {
    const types = new Set(addresses(existing).map((a) => a.split(".")[0]));
    for (const absent of [
      "aws_vpc",
      "aws_subnet",
      "aws_eks_cluster",
      "aws_eks_node_group",
      "aws_eks_addon",
      "aws_launch_template",
      "aws_iam_openid_connect_provider",
      "aws_ec2_tag",
      "aws_cloudwatch_log_group",
    ]) {
      expect(types.has(absent)).toBe(false);
    }
    expect(Object.keys(resourcesOfType(existing, "aws_iam_role")).sort()).toEqual([
      "product_roles_dashboard",
      "product_roles_gateway",
      "product_roles_operator",
    ]);
    expect(types.has("aws_s3_bucket")).toBe(true);
    expect(types.has("aws_ecr_repository")).toBe(true);
  });

  test("the stack's cluster context says the cluster is not managed here and points at the data source", () => {
    const app = Testing.app();
    const { aws } = addEnvironment(app, synthExample("existing").env);
    expect(aws!.cluster.managedHere).toBe(false);
    const fresh = addEnvironment(Testing.app(), synthExample("dev").env).aws!;
    expect(fresh.cluster.managedHere).toBe(true);
  });

  test("outputs come from the existing cluster", () => {
    const out = existing.output!;
    expect(out.cluster_name.value).toBe("${data.aws_eks_cluster.existing_cluster.name}");
    expect(out.cluster_endpoint.value).toBe("${data.aws_eks_cluster.existing_cluster.endpoint}");
    expect(out.oidc_provider_arn.value).toBe("${data.aws_iam_openid_connect_provider.existing_cluster_oidc_provider.arn}");
    expect(out.vpc_id.value).toBe("${data.aws_eks_cluster.existing_cluster.vpc_config[0].vpc_id}");
    expect(out.cluster_security_group_id.value).toBe("${data.aws_eks_cluster.existing_cluster.vpc_config[0].cluster_security_group_id}");
  });

  test("requested access entries come with a postcondition that refuses a CONFIG_MAP-only cluster, naming file and field", () => {
    const postcondition = block<any>(existing.data!.aws_eks_cluster.existing_cluster.lifecycle.postcondition);
    expect(postcondition.condition).toBe('${self.access_config[0].authentication_mode != "CONFIG_MAP"}');
    expect(postcondition.error_message).toContain("environments/existing.yaml");
    expect(postcondition.error_message).toContain("cluster.adminPrincipalArns");
    expect(Object.keys(resourcesOfType(existing, "aws_eks_access_entry"))).toEqual(["cluster_admin_access_role_platform_admin"]);
    expect(resourcesOfType(existing, "aws_eks_access_entry").cluster_admin_access_role_platform_admin.cluster_name).toBe(
      "${data.aws_eks_cluster.existing_cluster.name}",
    );
  });

  test("without admin principals there are no access entries and no postcondition", () => {
    const withoutDeployer = MINIMAL_ENVIRONMENT.replace(/^deployPrincipalArn:.*\n/m, "");
    const stack = synthEnvironment(environmentFromYaml(`${withoutDeployer}mode: existing-cluster\ncluster:\n  name: shared\n`)).aws!;
    expect(stack.data!.aws_eks_cluster.existing_cluster.lifecycle).toBeUndefined();
    expect(resourcesOfType(stack, "aws_eks_access_entry")).toEqual({});
  });
});
