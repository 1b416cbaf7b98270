/**
 * Bad environment files: each gives one clear message naming the file, the
 * field path, what was found and what is expected.
 */
import { ConfigError } from "../../config/errors";
import { MINIMAL_ENVIRONMENT, environmentFromYaml } from "../helpers/synth";
import { releaseChart } from "../../stacks/release-wiring";

const BASE = MINIMAL_ENVIRONMENT;

const cases: Array<[string, string, string, RegExp]> = [
  ["an unknown top-level key", `${BASE}regoin: us-east-1\n`, "regoin", /unknown key "regoin".*"region" \(did you mean it\?\)/],
  ["an unknown nested key (typo)", `${BASE}network:\n  vpcCIDR: 10.0.0.0/16\n`, "network.vpcCIDR", /did you mean it\?.*vpcCidr/],
  ["a wrong type", `${BASE}protected: "yes"\n`, "protected", /found "yes"; expected boolean/],
  ["an invalid CIDR", `${BASE}network:\n  vpcCidr: 10.0.0.0/33\n`, "network.vpcCidr", /found "10.0.0.0\/33"; expected an IPv4 CIDR/],
  ["a CIDR that is not a network address", `${BASE}network:\n  vpcCidr: 10.0.0.1/16\n`, "network.vpcCidr", /network address \(10.0.0.0\/16\)/],
  ["a VPC too small for the subnets", `${BASE}network:\n  vpcCidr: 10.0.0.0/26\n`, "network.vpcCidr", /from \/16 to \/22/],
  [
    "an AZ outside the region",
    `accountId: "123456789012"\nregion: us-east-1\navailabilityZones: [us-east-1a, eu-west-1b]\n`,
    "availabilityZones[1]",
    /found "eu-west-1b"; expected a zone of region us-east-1/,
  ],
  ["a single AZ", `accountId: "123456789012"\nregion: us-east-1\navailabilityZones: [us-east-1a]\n`, "availabilityZones", /at least 2 availability zones/],
  ["a duplicated AZ", `accountId: "123456789012"\nregion: us-east-1\navailabilityZones: [us-east-1a, us-east-1a]\n`, "availabilityZones[1]", /listed once/],
  [
    "an account id that is too short",
    `accountId: "12345"\nregion: us-east-1\navailabilityZones: [us-east-1a, us-east-1b]\n`,
    "accountId",
    /found "12345"; expected a 12-digit AWS account id/,
  ],
  [
    "an account id written as a number",
    `accountId: 123456789012\nregion: us-east-1\navailabilityZones: [us-east-1a, us-east-1b]\n`,
    "accountId",
    /found 123456789012 without quotes, which YAML reads as the number 123456789012; expected a 12-digit AWS account id in quotes/,
  ],
  [
    "an account id with a leading zero, read as a number",
    `accountId: 012345678901\nregion: us-east-1\navailabilityZones: [us-east-1a, us-east-1b]\n`,
    "accountId",
    /found 012345678901 without quotes, which YAML reads as the number 12345678901; expected a 12-digit AWS account id in quotes/,
  ],
  ["a missing account id", `region: us-east-1\navailabilityZones: [us-east-1a, us-east-1b]\n`, "accountId", /found nothing \(the field is missing\)/],
  ["an unknown mode", `${BASE}mode: brand-new\n`, "mode", /found "brand-new"; expected one of "fresh-cluster"\|"existing-cluster"\|"helm-only"/],
  ["a bad region", `accountId: "123456789012"\nregion: useast1\navailabilityZones: [us-east-1a, us-east-1b]\n`, "region", /expected an AWS region code/],
  [
    "an unsupported Kubernetes version",
    `${BASE}cluster:\n  kubernetesVersion: "1.24"\n`,
    "cluster.kubernetesVersion",
    /found "1.24"; expected a Kubernetes version EKS supports/,
  ],
  [
    "NAT with public worker subnets (contradiction)",
    `${BASE}network:\n  natGateways: single\n`,
    "network.natGateways",
    /public worker subnets reach the internet/,
  ],
  [
    "private worker subnets without NAT (contradiction)",
    `${BASE}network:\n  workerSubnets: private\n  natGateways: none\n`,
    "network.natGateways",
    /private worker subnets need NAT/,
  ],
  [
    "a public endpoint without an allowlist",
    `${BASE}cluster:\n  endpointPublicAccess: true\n`,
    "cluster.publicAccessCidrs",
    /allowed to reach the public API endpoint/,
  ],
  [
    "an allowlist with the endpoint off (contradiction)",
    `${BASE}cluster:\n  publicAccessCidrs: [198.51.100.0/24]\n`,
    "cluster.publicAccessCidrs",
    /endpointPublicAccess is false/,
  ],
  [
    "0.0.0.0/0 on a protected environment's endpoint",
    `${BASE}protected: true\nkarpenter:\n  amiAlias: al2023@v20260714\ncluster:\n  endpointPublicAccess: true\n  publicAccessCidrs: [0.0.0.0/0]\n`,
    "cluster.publicAccessCidrs[0]",
    /never opens the API endpoint to the whole internet/,
  ],
  ["an unpinned AMI alias in a protected environment", `${BASE}protected: true\n`, "karpenter.amiAlias", /pinned alias/],
  [
    "node group sizes out of order",
    `${BASE}cluster:\n  systemNodeGroup:\n    minSize: 3\n    desiredSize: 2\n`,
    "cluster.systemNodeGroup",
    /minSize <= desiredSize <= maxSize/,
  ],
  ["existing-cluster mode without a cluster name", `${BASE}mode: existing-cluster\n`, "cluster.name", /name of the existing EKS cluster/],
  ["helm-only mode without its AWS resources", `${BASE}mode: helm-only\n`, "externalAws", /bucket, gateway role ARN/],
  [
    "externalAws outside helm-only mode",
    `${BASE}externalAws:\n  bucket: b-b-b\n  gatewayRoleArn: arn:aws:iam::123456789012:role/g\n  gatewayImageRepository: r.example.com/g\n  clusterName: c\n`,
    "externalAws",
    /creates these AWS resources itself/,
  ],
  ["a floating chart version", `${BASE}karpenter:\n  chartVersion: latest\n`, "karpenter.chartVersion", /exact chart version/],
  ["audit logs switched off", `${BASE}cluster:\n  logTypes: [api]\n`, "cluster.logTypes", /includes "audit"/],
  [
    "a GPU pool without GPU families",
    `${BASE}karpenter:\n  workerGpu:\n    instanceFamilies: [m7i]\n`,
    "karpenter.workerGpu.instanceFamilies",
    /GPU instance families only/,
  ],
  ["managed DNS without a zone", `${BASE}dns:\n  managePublicDns: true\n  gatewayHost: layer.example.com\n`, "dns.zoneName", /public hosted zone name/],
  [
    "a gateway host outside the managed zone",
    `${BASE}dns:\n  managePublicDns: true\n  zoneName: example.com\n  gatewayHost: layer.example.org\n`,
    "dns.gatewayHost",
    /inside the managed zone example.com/,
  ],
  [
    "Karpenter enabled in helm-only mode",
    `${BASE}mode: helm-only\nexternalAws:\n  bucket: b-b-b\n  gatewayRoleArn: arn:aws:iam::123456789012:role/g\n  gatewayImageRepository: r.example.com/g\n  clusterName: c\nkarpenter:\n  enabled: true\n`,
    "karpenter.enabled",
    /helm-only mode has no AWS stack/,
  ],
  [
    "the load balancer controller enabled in helm-only mode",
    `${BASE}mode: helm-only\nexternalAws:\n  bucket: b-b-b\n  gatewayRoleArn: arn:aws:iam::123456789012:role/g\n  gatewayImageRepository: r.example.com/g\n  clusterName: c\nloadBalancerController:\n  enabled: true\n`,
    "loadBalancerController.enabled",
    /helm-only mode has no AWS stack/,
  ],
  [
    "EFS enabled in helm-only mode",
    `${BASE}mode: helm-only\nexternalAws:\n  bucket: b-b-b\n  gatewayRoleArn: arn:aws:iam::123456789012:role/g\n  gatewayImageRepository: r.example.com/g\n  clusterName: c\nefs:\n  enabled: true\n`,
    "efs.enabled",
    /helm-only mode has no AWS stack/,
  ],
  [
    "more Karpenter controllers than always-on system nodes",
    `${BASE}karpenter:\n  controllerReplicas: 2\n`,
    "karpenter.controllerReplicas",
    /at most cluster.systemNodeGroup.minSize \(1\)/,
  ],
  [
    "a document-cache pool without Karpenter",
    `${BASE}mode: existing-cluster\ncluster:\n  name: platform\nkarpenter:\n  documentCache:\n    enabled: true\n`,
    "karpenter.documentCache.enabled",
    /karpenter.enabled: true/,
  ],
  ["a storage class name that is not a Kubernetes name", `${BASE}efs:\n  storageClassName: EFS_SC\n`, "efs.storageClassName", /Kubernetes object name/],
  ["an ingress without a certificate", `${BASE}ingress:\n  scheme: internet-facing\n`, "ingress.scheme", /a certificate for HTTPS/],
  ["an ingress TLS policy below TLS 1.3", `${BASE}ingress:\n  sslPolicy: ELBSecurityPolicy-2016-08\n`, "ingress.sslPolicy", /TLS 1.3 policy/],
  [
    "a public ingress in a protected environment without access logs",
    `${BASE}protected: true\nkarpenter:\n  amiAlias: al2023@v20260714\ndns:\n  managePublicDns: true\n  zoneName: example.com\n  zoneDelegated: true\n  gatewayHost: layer.example.com\n`,
    "ingress.accessLogs",
    /access log bucket/,
  ],
  [
    "a given certificate without a host",
    `${BASE}dns:\n  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100\n`,
    "dns.gatewayHost",
    /the host name the certificate/,
  ],
  [
    "control-plane logs kept under 90 days",
    `${BASE}cluster:\n  logRetentionDays: 30\n`,
    "cluster.logRetentionDays",
    /found 30; expected at least 90 days of control-plane logs/,
  ],
  [
    "flow logs kept under 90 days",
    `${BASE}network:\n  flowLogs:\n    enabled: true\n    retentionDays: 14\n`,
    "network.flowLogs.retentionDays",
    /found 14; expected at least 90 days of flow logs/,
  ],
  [
    "the same admin principal listed twice",
    `${BASE}cluster:\n  adminPrincipalArns:\n    - arn:aws:iam::123456789012:role/admin\n    - arn:aws:iam::123456789012:role/admin\n`,
    "cluster.adminPrincipalArns[1]",
    /same name; access entries are keyed by it/,
  ],
  [
    "a fresh cluster nobody can reach (no deploy principal, no admin)",
    BASE.replace(/^deployPrincipalArn:.*\n/m, ""),
    "deployPrincipalArn",
    /found nothing \(the field is missing\); expected the IAM role ARN that runs cdktf deploy.*or at least one principal in cluster.adminPrincipalArns/,
  ],
  [
    "an STS session instead of the deploy role",
    BASE.replace(/^deployPrincipalArn:.*$/m, "deployPrincipalArn: arn:aws:sts::123456789012:assumed-role/layer-deploy/ci-run-42"),
    "deployPrincipalArn",
    /the IAM role ARN such as arn:aws:iam::123456789012:role\/layer-deploy .*not one STS session/,
  ],
  [
    "an STS session as a cluster admin",
    `${BASE}cluster:\n  adminPrincipalArns: [arn:aws:sts::123456789012:assumed-role/Admin/alice]\n`,
    "cluster.adminPrincipalArns[0]",
    /arn:aws:iam::123456789012:role\/Admin/,
  ],
  [
    "the deploy principal listed again as an admin",
    `${BASE}cluster:\n  adminPrincipalArns: [arn:aws:iam::123456789012:role/layer-deploy]\n`,
    "cluster.adminPrincipalArns[0]",
    /deployPrincipalArn has the same name/,
  ],
  ["a backend key that is not a state file", `${BASE}backend:\n  s3:\n    bucket: my-state\n    key: state/{stack}\n`, "backend.s3.key", /ending in .tfstate/],
  [
    "one backend key for both stacks",
    `${BASE}backend:\n  s3:\n    bucket: my-state\n    key: state/dev.tfstate\n`,
    "backend.s3.key",
    /a key template holding \{stack\}, such as state\/\{stack\}.tfstate: the AWS and Helm stacks each keep their own state/,
  ],
  [
    "a backend key with a leading slash",
    `${BASE}backend:\n  s3:\n    bucket: my-state\n    key: /state/{stack}.tfstate\n`,
    "backend.s3.key",
    /without a leading slash/,
  ],
];

describe("a bad environment file is rejected with a message naming file, field, found and expected", () => {
  test.each(cases)("%s", (_label, yamlText, field, message) => {
    let error: unknown;
    try {
      environmentFromYaml(yamlText, "broken");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    expect(text).toContain(`environments/broken.yaml: ${field}: found `);
    expect(text).toMatch(message);
    expect(text).toContain("; expected ");
  });

  test("invalid YAML names the setting and the line", () => {
    expect(() => environmentFromYaml(`${BASE}tags: {a: 1\n`, "broken")).toThrow(/environments\/broken.yaml: tags: found invalid YAML at line 11, column 1: /);
  });

  test("a duplicated key is refused instead of silently taking the last one", () => {
    expect(() => environmentFromYaml(`${BASE}protected: true\nprotected: false\n`, "broken")).toThrow(
      /broken.yaml: protected: found invalid YAML at line 11, column 1: Map keys must be unique/,
    );
  });

  test("an environment name that cannot name resources", () => {
    expect(() => environmentFromYaml(BASE, "Dev_1")).toThrow(/environments\/Dev_1.yaml: found the environment name "Dev_1"/);
  });
});

describe("a minimal file gets the install guide's defaults", () => {
  const env = environmentFromYaml(BASE, "dev");
  test.each([
    ["mode", env.mode, "fresh-cluster"],
    ["system node instance type", env.cluster.systemNodeGroup.instanceType, "i4i.large"],
    ["worker subnets", env.network.workerSubnets, "public"],
    ["public DNS", env.dns.managePublicDns, false],
    ["release namespace", env.release.namespace, "layer"],
    [
      "chart (the OCI artifact in the environment's ECR registry)",
      releaseChart(env),
      { repository: "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev", chart: "layer", version: "0.1.0" },
    ],
    ["cluster name", env.clusterName, "layer-dev"],
    ["protection", env.protected, false],
    ["Karpenter (fresh cluster)", env.karpenter.enabled, true],
    ["load balancer controller (fresh cluster)", env.loadBalancerController.enabled, true],
    ["EFS (fresh cluster)", env.efs.enabled, true],
    ["Karpenter controller replicas (one system node)", env.karpenter.controllerReplicas, 1],
  ])("%s", (_label, actual, expected) => {
    expect(actual).toEqual(expected);
  });
});
