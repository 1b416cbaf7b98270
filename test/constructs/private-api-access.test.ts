import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";
import { errorOf } from "../helpers/config-error";

const apiRules = (stack: any) =>
  Object.fromEntries(Object.entries<any>(resourcesOfType(stack, "aws_vpc_security_group_ingress_rule")).filter(([k]) => k.startsWith("private_api_access")));

describe("the deploy runner's path to the private API endpoint (cluster.privateAccessCidrs)", () => {
  test("HTTPS into the cluster security group from each listed network, keyed by CIDR", () => {
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}cluster:\n  privateAccessCidrs: [10.50.0.0/24, 172.16.0.0/16]\n`, "runner");
    const rules = apiRules(synthEnvironment(env).aws);
    expect(Object.keys(rules).sort()).toEqual(["private_api_access_10_50_0_0_24", "private_api_access_172_16_0_0_16"]);
    expect(rules.private_api_access_10_50_0_0_24).toMatchObject({
      security_group_id: "${aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id}",
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "10.50.0.0/24",
    });
  });

  test("nothing is opened by default", () => {
    expect(apiRules(synthExample("dev").aws)).toEqual({});
  });

  test("every address, or a cluster this project does not manage, is refused", () => {
    expect(errorOf(() => environmentFromYaml(`${MINIMAL_ENVIRONMENT}cluster:\n  privateAccessCidrs: [0.0.0.0/0]\n`, "x")).message).toContain(
      'cluster.privateAccessCidrs[0]: found "0.0.0.0/0"',
    );
    const existing = `${MINIMAL_ENVIRONMENT}mode: existing-cluster\ncluster:\n  name: shared\n  privateAccessCidrs: [10.50.0.0/24]\n`;
    expect(errorOf(() => environmentFromYaml(existing, "x")).message).toContain(
      'cluster.privateAccessCidrs: found ["10.50.0.0/24"]; expected an empty list in existing-cluster mode',
    );
  });
});
