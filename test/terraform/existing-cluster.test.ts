/**
 * Terraform tier for existing-cluster mode. Its AWS stack reads the cluster
 * and its OIDC provider with data sources, which would call AWS during plan.
 * `terraform test` plans it offline: the resources go through the real AWS
 * provider 5.100.0 (mock credentials, as in aws-stacks.test.ts) and only the
 * two data sources are replaced with `override_data` values written here.
 * A second run feeds a CONFIG_MAP-only cluster and expects the data source's
 * postcondition to stop the plan.
 */
import { synthExample } from "../helpers/synth";
import { TerraformWorkdir, announceSkip, findToolchain, offlineOverride } from "../helpers/terraform";

const toolchain = findToolchain();
const ISSUER_HOST = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const OIDC_PROVIDER_ARN = `arn:aws:iam::123456789012:oidc-provider/${ISSUER_HOST}`;

/** Values the data sources would return for a cluster in the given authentication mode. */
function clusterOverride(authenticationMode: string): string {
  return `
  override_data {
    target = data.aws_eks_cluster.existing_cluster
    values = {
      arn      = "arn:aws:eks:us-west-2:123456789012:cluster/platform-shared"
      endpoint = "https://EXAMPLE0123456789.gr7.us-west-2.eks.amazonaws.com"
      certificate_authority = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t" }]
      access_config = [{ authentication_mode = "${authenticationMode}", bootstrap_cluster_creator_admin_permissions = false }]
      identity = [{ oidc = [{ issuer = "https://${ISSUER_HOST}" }] }]
      vpc_config = [{
        vpc_id                    = "vpc-0123456789abcdef0"
        subnet_ids                = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
        cluster_security_group_id = "sg-0123456789abcdef0"
        security_group_ids        = []
        public_access_cidrs       = []
        endpoint_private_access   = true
        endpoint_public_access    = false
      }]
    }
  }
  override_data {
    target = data.aws_iam_openid_connect_provider.existing_cluster_oidc_provider
    values = {
      arn = "${OIDC_PROVIDER_ARN}"
      url = "${ISSUER_HOST}"
    }
  }`;
}

const PLANS = `
run "plans_offline_against_an_api_cluster" {
  command = plan
${clusterOverride("API_AND_CONFIG_MAP")}

  assert {
    condition     = strcontains(aws_iam_role.product_roles_gateway.assume_role_policy, "${OIDC_PROVIDER_ARN}")
    error_message = "the gateway role must trust the existing cluster's OIDC provider"
  }
  assert {
    condition     = strcontains(aws_iam_role.product_roles_gateway.assume_role_policy, "${ISSUER_HOST}:sub")
    error_message = "the gateway role's sub condition must use the existing cluster's issuer"
  }
  assert {
    condition     = aws_eks_access_entry.cluster_admin_access_role_platform_admin.cluster_name == "platform-shared"
    error_message = "the admin access entry must be added to the existing cluster"
  }
  assert {
    condition     = output.worker_subnet_ids == tolist(["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"])
    error_message = "worker subnets come from the existing cluster"
  }
}

run "refuses_a_config_map_only_cluster_when_access_entries_are_requested" {
  command = plan
${clusterOverride("CONFIG_MAP")}

  expect_failures = [data.aws_eks_cluster.existing_cluster]
}
`;

/** The same CONFIG_MAP plan without expect_failures, so its error message is printed. */
const SHOWS_MESSAGE = `
run "config_map_error_message" {
  command = plan
${clusterOverride("CONFIG_MAP")}
}
`;

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else {
  let result: { status: number; output: string };
  beforeAll(() => {
    const workdir = new TerraformWorkdir(toolchain, {
      "cdk.tf.json": synthExample("existing").aws,
      "offline_override.tf.json": offlineOverride(),
      "tests/existing_cluster.tftest.hcl": PLANS,
      "tests/shows_message.tftest.hcl": SHOWS_MESSAGE,
    });
    try {
      const init = workdir.run("init", "-input=false", "-backend=false");
      if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
      result = workdir.run("test");
    } finally {
      workdir.remove();
    }
  });

  test("layer-existing-aws plans offline with the cluster's data sources overridden", () => {
    expect(result.output).toMatch(/run "plans_offline_against_an_api_cluster"\.\.\. pass/);
  });

  test("the plan stops when the existing cluster only accepts aws-auth and access entries were requested", () => {
    expect(result.output).toMatch(/run "refuses_a_config_map_only_cluster_when_access_entries_are_requested"\.\.\. pass/);
  });

  test("the error names the cluster, the environment file and the field", () => {
    expect(result.output).toMatch(/run "config_map_error_message"\.\.\. fail/);
    const message = result.output.replace(/[│\s]+/g, " ");
    expect(message).toContain("Resource postcondition failed");
    expect(message).toContain("EKS cluster platform-shared only accepts the aws-auth ConfigMap");
    expect(message).toContain("environments/existing.yaml requests access entries (deployPrincipalArn, cluster.adminPrincipalArns)");
    // Exactly the planted failure: everything else passed.
    expect(result.output).toMatch(/2 passed, 1 failed/);
  });
}
