import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { asList, block, onlyResource, parsePolicy, resourcesOfType } from "../helpers/terraform-json";

const dev = synthExample("dev").aws!;
const prod = synthExample("prod").aws!;
const synthYaml = (extra: string) => synthEnvironment(environmentFromYaml(`${MINIMAL_ENVIRONMENT}${extra}`)).aws!;
// EFS off: its mount-target security group is tested with addons/efs/aws.ts.
const privateNetwork = synthYaml(
  "network:\n  workerSubnets: private\n  natGateways: one-per-az\n  interfaceEndpoints: [ecr.api, sts]\n  flowLogs:\n    enabled: true\n    retentionDays: 120\nefs:\n  enabled: false\n",
);
const subnets = (stack: any) => Object.values<any>(resourcesOfType(stack, "aws_subnet"));

describe("network", () => {
  test("VPC with DNS support and hostnames from the configured CIDR (NET-07); no default VPC declared (NET-08)", () => {
    const vpc = onlyResource(dev, "aws_vpc");
    expect(vpc).toMatchObject({ cidr_block: "10.42.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    expect(resourcesOfType(dev, "aws_default_vpc")).toEqual({});
  });

  test("the default security group is adopted with no rules (NET-02)", () => {
    const sg = onlyResource(dev, "aws_default_security_group");
    expect(sg.vpc_id).toBe("${aws_vpc.network.id}");
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([]);
  });

  test("one public subnet per zone from the subnet plan, keyed by zone, tagged for public load balancers and Karpenter", () => {
    const byName = resourcesOfType(prod, "aws_subnet");
    expect(Object.keys(byName).sort()).toEqual(["network_public_eu_west_1a", "network_public_eu_west_1b", "network_public_eu_west_1c"]);
    expect(Object.values<any>(byName).map((s) => [s.availability_zone, s.cidr_block])).toEqual([
      ["eu-west-1a", "10.42.0.0/20"],
      ["eu-west-1b", "10.42.16.0/20"],
      ["eu-west-1c", "10.42.32.0/20"],
    ]);
    for (const subnet of Object.values<any>(byName)) {
      expect(subnet.tags).toMatchObject({ "kubernetes.io/role/elb": "1", "karpenter.sh/discovery": "layer-prod" });
    }
  });

  test("public worker subnets map public IPs; that is the only place (NET-06, recorded deviation)", () => {
    expect(subnets(dev).every((s) => s.map_public_ip_on_launch === true)).toBe(true);
    for (const s of subnets(privateNetwork)) {
      const isPublic = s.tags["kubernetes.io/role/elb"] === "1";
      expect(s.map_public_ip_on_launch).toBe(false);
      expect(isPublic || s.tags["kubernetes.io/role/internal-elb"] === "1").toBe(true);
    }
  });

  test("public workers: internet gateway route, no NAT gateway", () => {
    expect(onlyResource(dev, "aws_route")).toMatchObject({
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: "${aws_internet_gateway.network_internet_gateway.id}",
    });
    expect(resourcesOfType(dev, "aws_nat_gateway")).toEqual({});
    expect(resourcesOfType(dev, "aws_eip")).toEqual({});
  });

  test("private workers: private subnets from blocks 8.. with internal-elb and discovery tags, one NAT per zone when asked", () => {
    const priv = subnets(privateNetwork).filter((s) => s.tags["kubernetes.io/role/internal-elb"] === "1");
    expect(priv.map((s) => s.cidr_block)).toEqual(["10.42.128.0/20", "10.42.144.0/20"]);
    expect(priv.every((s) => s.tags["karpenter.sh/discovery"] === "layer-test")).toBe(true);
    const pub = subnets(privateNetwork).filter((s) => s.tags["kubernetes.io/role/elb"] === "1");
    expect(pub.every((s) => s.tags["karpenter.sh/discovery"] === undefined)).toBe(true);
    expect(Object.keys(resourcesOfType(privateNetwork, "aws_nat_gateway"))).toHaveLength(2);
    const natRoutes = Object.values<any>(resourcesOfType(privateNetwork, "aws_route")).filter((r) => r.nat_gateway_id);
    expect(natRoutes.map((r) => r.nat_gateway_id).sort()).toEqual([
      "${aws_nat_gateway.network_nat_us_east_1a.id}",
      "${aws_nat_gateway.network_nat_us_east_1b.id}",
    ]);
    const workers = block<any>(onlyResource(privateNetwork, "aws_eks_node_group")).subnet_ids;
    expect(workers).toEqual(["${aws_subnet.network_private_us_east_1a.id}", "${aws_subnet.network_private_us_east_1b.id}"]);
  });

  test("private workers default to a single NAT gateway", () => {
    const stack = synthYaml("network:\n  workerSubnets: private\n");
    expect(Object.keys(resourcesOfType(stack, "aws_nat_gateway"))).toEqual(["network_nat_us_east_1a"]);
    const natRoutes = Object.values<any>(resourcesOfType(stack, "aws_route")).filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(2);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  test("the S3 gateway endpoint is always there, on every route table", () => {
    for (const stack of [dev, privateNetwork]) {
      const endpoint = Object.values<any>(resourcesOfType(stack, "aws_vpc_endpoint")).find((e) => e.vpc_endpoint_type === "Gateway");
      expect(endpoint.service_name).toBe(`com.amazonaws.us-east-1.s3`);
      expect([...endpoint.route_table_ids].sort()).toEqual(
        Object.keys(resourcesOfType(stack, "aws_route_table"))
          .map((n) => `\${aws_route_table.${n}.id}`)
          .sort(),
      );
    }
  });

  test("interface endpoints are opt-in, in the worker subnets, behind a group that admits only HTTPS from the VPC (NET-03, NET-04)", () => {
    expect(Object.values<any>(resourcesOfType(dev, "aws_vpc_endpoint")).filter((e) => e.vpc_endpoint_type === "Interface")).toEqual([]);
    // No endpoint security group (the EFS mount-target group belongs to addons/efs/aws.ts).
    expect(Object.keys(resourcesOfType(dev, "aws_security_group")).filter((k) => k.startsWith("network"))).toEqual([]);
    const interfaces = Object.values<any>(resourcesOfType(privateNetwork, "aws_vpc_endpoint")).filter((e) => e.vpc_endpoint_type === "Interface");
    expect(interfaces.map((e) => e.service_name).sort()).toEqual(["com.amazonaws.us-east-1.ecr.api", "com.amazonaws.us-east-1.sts"]);
    for (const e of interfaces) {
      expect(e.private_dns_enabled).toBe(true);
      expect(e.security_group_ids).toEqual(["${aws_security_group.network_endpoint_security_group.id}"]);
      expect(e.subnet_ids).toEqual(["${aws_subnet.network_private_us_east_1a.id}", "${aws_subnet.network_private_us_east_1b.id}"]);
    }
    expect(onlyResource(privateNetwork, "aws_security_group").description).toMatch(/\S/);
    expect(onlyResource(privateNetwork, "aws_vpc_security_group_ingress_rule")).toMatchObject({
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "10.42.0.0/16",
      description: "HTTPS from the VPC",
    });
  });

  test("no security group rule anywhere opens ingress to the internet (NET-03, the public-subnet compensation)", () => {
    for (const stack of [dev, prod, privateNetwork]) {
      const text = JSON.stringify([
        resourcesOfType(stack, "aws_security_group"),
        resourcesOfType(stack, "aws_security_group_rule"),
        resourcesOfType(stack, "aws_vpc_security_group_ingress_rule"),
      ]);
      expect(text).not.toMatch(/0\.0\.0\.0\/0|::\/0/);
      for (const sg of Object.values<any>(resourcesOfType(stack, "aws_security_group"))) expect(asList(sg.ingress)).toEqual([]);
    }
  });

  test("flow logs are off by default", () => {
    expect(resourcesOfType(dev, "aws_flow_log")).toEqual({});
  });

  test("flow logs, when on, capture ALL traffic into a KMS-encrypted log group with retention (NET-01, CW-01)", () => {
    const flowLog = onlyResource(privateNetwork, "aws_flow_log");
    expect(flowLog).toMatchObject({
      vpc_id: "${aws_vpc.network.id}",
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: "${aws_cloudwatch_log_group.network_flow_logs.arn}",
    });
    const group = resourcesOfType(privateNetwork, "aws_cloudwatch_log_group").network_flow_logs;
    expect(group).toMatchObject({ name: "/aws/vpc/layer-test/flow-logs", retention_in_days: 120, kms_key_id: "${aws_kms_key.network_flow_logs_key.arn}" });
    const role = resourcesOfType(privateNetwork, "aws_iam_role").network_flow_logs_role;
    expect(parsePolicy(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    const delivery = parsePolicy(resourcesOfType(privateNetwork, "aws_iam_role_policy").network_flow_logs_role_policy.policy).Statement;
    expect(delivery[0].Resource).toEqual([
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/layer-test/flow-logs",
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/layer-test/flow-logs:*",
    ]);
  });
});
