/**
 * The baseline cost is a hand calculation from the price table: these tests
 * write each line out (quantity × table price) instead of calling the
 * review's cost code, and compare totals.
 */
import { buildReview } from "../../review/report";
import { HOURS_PER_MONTH as H, INSTANCE_HOUR_PRICES, NOMINAL, PRICES, regionFactor } from "../../review/prices";
import { synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";
import { DEV, devWithCluster, withPrivateWorkers, withResource } from "./fixtures";

const P = PRICES;

function review(name: string) {
  const { aws, helm } = synthExample(name);
  const stacks: Record<string, any> = { [`layer-${name}-helm`]: helm };
  if (aws) stacks[`layer-${name}-aws`] = aws;
  return buildReview({ name, current: { name, stacks } });
}

describe("the dev baseline with its public edge, as synthesized", () => {
  const r = buildReview({ name: "dev", current: devWithCluster() });

  test("equals the hand calculation from the price table", () => {
    const expected =
      1 * H * P.eksClusterHour.usd + //                 control plane: 730 × $0.10 = $73.00
      1 * H * INSTANCE_HOUR_PRICES["i4i.large"].usd + // one i4i.large: 730 × $0.172 = $125.56
      1 * 50 * P.ebsGp3GbMonth.usd + //                 its 50 GiB gp3 root volume = $4.00
      0 +
      0 + //                                        worker-cpu and worker-gpu pools idle at zero nodes
      1 * H * P.albHour.usd + //                        one ALB: 730 × $0.0225 = $16.43
      1 * H * P.albLcuHour.usd + //                     one LCU floor: 730 × $0.008 = $5.84
      (1 + 2) * H * P.publicIpv4Hour.usd + //           node in a public subnet + internet-facing ALB in 2 AZs = $10.95
      5 * P.kmsKeyMonth.usd + //                        data bucket, image registry, cluster secrets, cluster logs, EFS keys = $5.00
      1 * 1 * P.s3StandardGbMonth.usd + //              1 GB nominal in the bucket
      5 * 1 * P.ecrGbMonth.usd + //                     5 repositories (gateway, operator, dashboard, functions, chart) × 1 GB nominal
      1 * 1 * P.efsStandardGbMonth.usd + //             1 GB nominal on EFS
      1 * 5 * P.logsIngestGb.usd + //                   one log group, 5 GB/month nominal = $2.50
      1 * 5 * (90 / 30) * P.logsStorageGbMonth.usd + // 90-day retention keeps 15 GB = $0.45
      1 * P.hostedZoneMonth.usd; //                     the public hosted zone = $0.50
    expect(r.monthlyCostUsd).toBeCloseTo(expected, 1);
    expect(r.monthlyCostUsd).toBeGreaterThanOrEqual(100);
    expect(r.monthlyCostUsd).toBeLessThanOrEqual(400);
  });

  test("shows each line with its source and date, and the Karpenter pools at 0", () => {
    const ids = r.cost.lines.map((l) => l.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "eks-control-plane",
        "node-group:aws_eks_node_group.system_node_group",
        "alb",
        "alb-lcu",
        "public-ipv4",
        "kms-keys",
        "s3-storage",
        "efs-storage",
        "logs-ingestion",
        "logs-storage",
        "karpenter-pool:worker-cpu",
        "karpenter-pool:worker-gpu",
      ]),
    );
    for (const line of r.cost.lines.filter((l) => !l.id.startsWith("karpenter-pool:"))) {
      expect(line.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(line.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const pool of r.cost.lines.filter((l) => l.id.startsWith("karpenter-pool:"))) expect(pool.monthlyUsd).toBe(0);
    expect(r.cost.lines.find((l) => l.id === "nat-gateways")).toBeUndefined();
    expect(r.cost.estimate).toBe(false);
  });

  test("the total is the sum of the lines", () => {
    expect(r.monthlyCostUsd).toBeCloseTo(
      r.cost.lines.reduce((s, l) => s + l.monthlyUsd, 0),
      2,
    );
  });
});

describe("the dev example as synthesized today", () => {
  const { aws } = synthExample("dev");
  const count = (type: string) => Object.keys(resourcesOfType(aws, type)).length;
  const r = review("dev");

  test("its storage lines equal the hand calculation from what the stack holds", () => {
    const line = (id: string) => r.cost.lines.find((l) => l.id === id)?.monthlyUsd ?? 0;
    expect(line("kms-keys")).toBeCloseTo(count("aws_kms_key") * P.kmsKeyMonth.usd, 2);
    expect(line("s3-storage")).toBeCloseTo(count("aws_s3_bucket") * NOMINAL.s3GbPerBucket * P.s3StandardGbMonth.usd, 2);
    expect(line("ecr-storage")).toBeCloseTo(count("aws_ecr_repository") * NOMINAL.ecrGbPerRepository * P.ecrGbMonth.usd, 2);
  });

  // The product promises a baseline "in the low hundreds of dollars per month".
  test("is within the promise: 100 <= cost <= 400, with its one cluster's control plane", () => {
    expect(count("aws_eks_cluster")).toBe(1);
    expect(r.monthlyCostUsd).toBeGreaterThanOrEqual(100);
    expect(r.monthlyCostUsd).toBeLessThanOrEqual(400);
    expect(r.cost.lines.find((l) => l.id === "eks-control-plane")?.monthlyUsd).toBeCloseTo(H * P.eksClusterHour.usd, 2);
  });
});

describe("regions", () => {
  test("us-east-1 is a list price, other regions are marked estimates with the documented factor", () => {
    expect(regionFactor("us-east-1")).toEqual({ factor: 1, estimate: false });
    const prod = review("prod");
    expect(prod.cost.region).toBe("eu-west-1");
    expect(prod.cost.estimate).toBe(true);
    expect(prod.cost.regionFactor).toBe(regionFactor("eu-west-1").factor);
    const ecr = prod.cost.lines.find((l) => l.id === "ecr-storage")!;
    expect(ecr.estimate).toBe(true);
    expect(ecr.unitPriceUsd).toBeCloseTo(P.ecrGbMonth.usd * regionFactor("eu-west-1").factor, 6);
    // KMS keys cost the same in every region: no factor, not an estimate.
    const kms = prod.cost.lines.find((l) => l.id === "kms-keys")!;
    expect([kms.unitPriceUsd, kms.estimate]).toEqual([P.kmsKeyMonth.usd, false]);
  });

  test("helm-only has no AWS stack and costs nothing here", () => {
    expect(review("helm-only").monthlyCostUsd).toBe(0);
  });
});

describe("network options move the baseline as the price table says (synthesized variants)", () => {
  const baseline = buildReview({ name: "dev", current: devWithCluster() }).monthlyCostUsd;

  test("private worker subnets with one NAT gateway: + NAT hours + its Elastic IP − the node's public address", () => {
    const r = buildReview({ name: "dev", current: withPrivateWorkers() });
    expect(r.inventory.settings.nodeGroups[0].publicIp).toBe(false);
    expect(r.inventory.settings.network.subnets.filter((x) => x.public).length).toBe(2); // the ALB's subnets stay public
    const expected =
      baseline +
      H * P.natGatewayHour.usd + // one NAT gateway: 730 × $0.045 = $32.85
      H * P.publicIpv4Hour.usd - // its Elastic IP: $3.65
      H * P.publicIpv4Hour.usd; //  the node no longer has a public address: −$3.65
    expect(r.monthlyCostUsd).toBeCloseTo(expected, 1);
    expect(r.cost.lines.find((l) => l.id === "nat-gateways")?.monthlyUsd).toBeCloseTo(H * P.natGatewayHour.usd, 2);
  });

  test("an interface endpoint in two zones: 2 × 730 × $0.01", () => {
    const env = devWithCluster();
    (env.stacks["layer-dev-aws"] as any).resource.aws_vpc_endpoint.network_ecr_api_endpoint = {
      service_name: "com.amazonaws.us-east-1.ecr.api",
      vpc_endpoint_type: "Interface",
      subnet_ids: ["${aws_subnet.network_public_us_east_1a.id}", "${aws_subnet.network_public_us_east_1b.id}"],
    };
    expect(buildReview({ name: "dev", current: env }).monthlyCostUsd).toBeCloseTo(baseline + 2 * H * P.interfaceEndpointAzHour.usd, 1);
  });

  test("an internal ALB (scheme: internal on the alb class, which overrides the chart's annotation) has no public addresses", () => {
    const env = devWithCluster();
    const release = (env.stacks["layer-dev-helm"] as any).resource.helm_release.load_balancer_controller;
    release.values = release.values.map((v: string) => v.replace(/^(\s*)sslPolicy: /m, "$1scheme: internal\n$1sslPolicy: "));
    const r = buildReview({ name: "dev", current: env });
    expect(r.inventory.settings.ingresses[0].scheme).toBe("internal");
    expect(r.monthlyCostUsd).toBeCloseTo(baseline - 2 * H * P.publicIpv4Hour.usd, 1);
  });

  test("two system nodes cost two instances, two volumes and two addresses", () => {
    const env = withResource(devWithCluster(), "layer-dev-aws", "aws_eks_node_group", DEV.systemNodeGroup, (c) => ({
      ...c,
      scaling_config: [{ min_size: 2, desired_size: 2, max_size: 3 }],
    }));
    const oneNode = H * INSTANCE_HOUR_PRICES["i4i.large"].usd + 50 * P.ebsGp3GbMonth.usd + H * P.publicIpv4Hour.usd;
    expect(buildReview({ name: "dev", current: env }).monthlyCostUsd).toBeCloseTo(baseline + oneNode, 1);
  });
});
