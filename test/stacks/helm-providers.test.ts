/**
 * How the Helm stack's helm and kubernetes providers reach the cluster: the
 * endpoint and CA of the cluster read by name, and a token fetched by
 * `aws eks get-token` for every connection (docs/ci.md), never a static
 * token that would expire after 15 minutes or land in the plan.
 */
import { synthExample } from "../helpers/synth";

describe.each(["dev", "prod", "existing", "helm-only"])("%s", (name) => {
  const { env, helm } = synthExample(name);
  const provider = helm.provider as Record<string, any[]>;
  const expectedExec = {
    api_version: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", env.clusterName, "--region", env.region, "--output", "json"],
  };

  test("helm and kubernetes authenticate with aws eks get-token for this cluster and region", () => {
    const helmKubernetes = provider.helm[0].kubernetes;
    expect(helmKubernetes.exec).toEqual(expectedExec);
    expect(provider.kubernetes[0].exec).toEqual([expectedExec]);
    for (const config of [helmKubernetes, provider.kubernetes[0]]) {
      expect(config.host).toBe("${data.aws_eks_cluster.cluster.endpoint}");
      expect(config.token).toBeUndefined();
    }
  });
});
