/** The review's JSON shape, its key settings read from the synthesized JSON, and its Mermaid diagram. */
import { buildReview, Review } from "../../review/report";
import { mermaidProblems } from "../helpers/mermaid";
import { exampleEnvironment, synthExample } from "../helpers/synth";
import { DEV, devWithCluster, withPrivateWorkers, withResource } from "./fixtures";

/** Every key path, array elements merged under `[]`: the shape CI scripts depend on. */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${prefix}[]`)))];
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => {
      // Free-form maps (counts by type, pool limits/labels) are values, not shape.
      if (["byType", "limits", "labels"].includes(k)) return [`${prefix}.${k}`];
      return [`${prefix}.${k}`, ...keyPaths(v, `${prefix}.${k}`)];
    });
  }
  return [];
}

const full = devWithCluster();
// A change that fills every list of the diff: a rename, a move, an in-place change.
let renamed = withResource(full, "layer-dev-aws", "aws_s3_bucket", "data_bucket", (c) => c, "renamed_bucket");
renamed = withResource(renamed, "layer-dev-aws", "aws_sqs_queue", DEV.interruptionQueue, (c) => c, "interruptions");
renamed = withResource(renamed, "layer-dev-aws", "aws_eks_cluster", DEV.cluster, (c) => ({ ...c, version: "1.34" }));
(renamed.stacks["layer-dev-aws"] as any).moved = [{ from: `aws_sqs_queue.${DEV.interruptionQueue}`, to: "aws_sqs_queue.interruptions" }];
const review: Review = buildReview({ name: "dev", current: renamed, base: { label: "main", env: full } });

test("the JSON has a stable shape with a top-level monthlyCostUsd number", () => {
  const json = JSON.parse(JSON.stringify(review));
  expect(typeof json.monthlyCostUsd).toBe("number");
  expect(Object.keys(json)).toEqual(["schemaVersion", "environment", "monthlyCostUsd", "replacementCount", "inventory", "cost", "diff", "diagram"]);
  expect([...new Set(keyPaths(json))].sort()).toMatchSnapshot();
});

test("the shape does not depend on what an environment holds (helm-only has the same top-level and section keys)", () => {
  const { helm } = synthExample("helm-only");
  const small = JSON.parse(JSON.stringify(buildReview({ name: "helm-only", current: { name: "helm-only", stacks: { "layer-helm-only-helm": helm } } })));
  const sections = (r: any) =>
    ["inventory", "inventory.settings", "inventory.settings.network", "inventory.settings.storage", "inventory.settings.protection", "cost", "diff"].map((p) =>
      Object.keys(p.split(".").reduce((o, k) => o[k], r)),
    );
  expect(sections(small)).toEqual(sections(JSON.parse(JSON.stringify(review))));
});

describe("key settings come from the synthesized JSON", () => {
  const s = buildReview({ name: "dev", current: full }).inventory.settings;
  test("cluster version, public endpoint CIDRs and logs", () => {
    expect(s.clusters).toEqual([
      expect.objectContaining({
        name: "layer-dev",
        created: true,
        kubernetesVersion: exampleEnvironment("dev").cluster.kubernetesVersion,
        endpointPublicAccess: true,
        publicAccessCidrs: ["203.0.113.0/24"],
        logTypes: ["api", "audit", "authenticator"],
      }),
    ]);
  });
  test("node group instance types, sizes and root volume (from its launch template)", () => {
    expect(s.nodeGroups).toEqual([
      expect.objectContaining({
        name: "system",
        instanceTypes: ["i4i.large"],
        minSize: 1,
        desiredSize: 1,
        maxSize: 2,
        rootVolumeGiB: 50,
        rootVolumeType: "gp3",
        publicIp: true,
      }),
    ]);
  });
  test("Karpenter pool limits from the pools release's values", () => {
    expect(s.karpenterPools.map((p) => [p.name, p.limits])).toEqual([
      ["worker-cpu", { cpu: "256", memory: "1024Gi" }],
      ["worker-gpu", { cpu: "128", memory: "512Gi", "nvidia.com/gpu": "8" }],
    ]);
  });
  test("chart versions, the ingress, and protection", () => {
    expect(s.charts.map((c) => [c.name, c.version])).toEqual(
      expect.arrayContaining([
        ["karpenter", "1.14.1"],
        ["aws-load-balancer-controller", "3.5.0"],
        ["layer", "0.1.0"],
      ]),
    );
    expect(s.ingresses).toEqual([
      { source: `helm_release.${DEV.release}`, className: "alb", scheme: "internet-facing", host: "layer.dev.example.com", group: "layer-dev" },
    ]);
    expect(s.protection.allStatefulProtected).toBe(false);
  });
  test("prod's stateful resources all carry prevent_destroy; dev's none", () => {
    const prod = synthExample("prod");
    const p = buildReview({ name: "prod", current: { name: "prod", stacks: { "layer-prod-aws": prod.aws!, "layer-prod-helm": prod.helm } } });
    expect(p.inventory.settings.protection.allStatefulProtected).toBe(true);
    expect(p.inventory.settings.protection.unprotected).toEqual([]);
  });
});

describe("the Mermaid diagram", () => {
  test.each([
    ["the full fixture", review.diagram],
    [
      "dev as synthesized today",
      buildReview({ name: "dev", current: { name: "dev", stacks: { "layer-dev-aws": synthExample("dev").aws!, "layer-dev-helm": synthExample("dev").helm } } })
        .diagram,
    ],
    [
      "helm-only",
      buildReview({ name: "helm-only", current: { name: "helm-only", stacks: { "layer-helm-only-helm": synthExample("helm-only").helm } } }).diagram,
    ],
  ])("of %s starts with flowchart, is balanced and uses only declared nodes", (_name, text) => {
    expect(mermaidProblems(text)).toEqual([]);
  });

  test("shows the VPC zones, node group, pools, data stores and the ALB → gateway path", () => {
    const d = review.diagram;
    expect(d).toMatch(/subgraph az_us_east_1a\["us-east-1a"\]/);
    expect(d).toContain("1 × i4i.large");
    expect(d).toContain("Karpenter pool worker-gpu");
    expect(d).toMatch(/\[\("S3 layer-dev-data-/);
    expect(d).toContain('ecr[("ECR:');
    expect(d).toContain("EFS");
    expect(d).toMatch(/clients -->\|"HTTPS"\| alb_0\n\s+alb_0 --> release_helm_release_layer/);
  });

  test("private workers: NAT in its zone, the node group in the private subnets", () => {
    const d = buildReview({ name: "dev", current: withPrivateWorkers() }).diagram;
    expect(mermaidProblems(d)).toEqual([]);
    expect(d).toContain("private subnet 10.42.128.0/20");
    expect(d).toMatch(/nat_aws_nat_gateway_network_nat_us_east_1a\["NAT gateway"\]/);
    expect(d).toContain('nodegroup_aws_eks_node_group_system_node_group -.->|"runs in"| subnet_aws_subnet_network_private_us_east_1a');
    expect(d).not.toContain('nodegroup_aws_eks_node_group_system_node_group -.->|"runs in"| subnet_aws_subnet_network_public_us_east_1a');
  });

  test("the checker itself rejects broken diagrams", () => {
    expect(mermaidProblems('graph\n  a["x"]')).not.toEqual([]);
    expect(mermaidProblems('flowchart LR\n  subgraph s["x"]\n  a["x"]')).toEqual(["1 subgraph(s) not closed"]);
    expect(mermaidProblems('flowchart LR\n  a["x"]\n  a --> b')).toEqual(["edge uses undeclared node b"]);
    expect(mermaidProblems('flowchart LR\n  a["unbalanced"')).toHaveLength(1);
  });
});
