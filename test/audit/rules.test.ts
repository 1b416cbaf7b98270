/**
 * Every audit rule passes on the compliant fixture world and fails on a copy
 * with one deliberately bad resource (test/audit/rule-fixtures.ts), so rules
 * for resources the example environments do not create yet are proven too.
 */
import { RULES } from "../../audit/rules";
import { auditEnvironment, RuleResult } from "../../audit/run";
import { FIXTURE_ENV, goodWorld } from "./fixture-world";
import { BAD } from "./rule-fixtures";

const ruleIds = RULES.map((r) => r.id);

async function resultOf(ruleId: string, world = goodWorld()): Promise<RuleResult> {
  const rule = RULES.find((r) => r.id === ruleId)!;
  const audit = await auditEnvironment(FIXTURE_ENV, world, { rules: [rule], waivers: [] });
  return audit.results[0];
}

test("rule ids are unique", () => {
  expect(new Set(ruleIds).size).toBe(ruleIds.length);
});

test("every rule has a deliberately bad fixture, and every fixture a rule", () => {
  expect(Object.keys(BAD).sort()).toEqual([...ruleIds].sort());
});

test("the compliant world passes every rule (none skipped as not applicable)", async () => {
  const audit = await auditEnvironment(FIXTURE_ENV, goodWorld(), { waivers: [] });
  const notPassed = audit.results
    .filter((r) => r.status !== "passed")
    .map((r) => `${r.rule.id}: ${r.status} ${r.failed.map((f) => `${f.address}: ${f.message}`).join("; ")}${r.note ?? ""}`);
  expect(notPassed).toEqual([]);
});

describe.each(ruleIds)("%s", (id) => {
  test("fails on its bad fixture", async () => {
    const world = goodWorld();
    BAD[id](world);
    const result = await resultOf(id, world);
    expect(result.status).toBe("failed");
    expect(result.failed.length).toBeGreaterThan(0);
  });
});

test("protected-only rules do not apply to an unprotected environment", async () => {
  const world = goodWorld();
  BAD["LIFE-01"](world);
  const audit = await auditEnvironment({ ...FIXTURE_ENV, protected: false }, world, { rules: RULES.filter((r) => r.id === "LIFE-01"), waivers: [] });
  expect(audit.results[0].status).toBe("not-applicable");
});

test("nested blocks are read as an object or a one-element array (S3-04, EKS-11)", async () => {
  const world = goodWorld();
  world.aws!.resource!.aws_s3_bucket_versioning.data_bucket_versioning.versioning_configuration = [{ status: "Enabled" }];
  world.aws!.resource!.aws_launch_template.system_nodes.metadata_options = [
    { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
  ];
  expect((await resultOf("S3-04", world)).status).toBe("passed");
  expect((await resultOf("EKS-11", world)).status).toBe("passed");
  expect((await resultOf("EKS-12", world)).status).toBe("passed");
});

test("SEC-04 finds a canary value anywhere in the JSON", async () => {
  const world = goodWorld();
  world.helm!.resource!.helm_release.layer.values.push("extra:\n  note: canary-7f3a9c\n");
  const rule = RULES.filter((r) => r.id === "SEC-04");
  const audit = await auditEnvironment(FIXTURE_ENV, world, { rules: rule, waivers: [], canaries: ["canary-7f3a9c"] });
  expect(audit.results[0].failed.map((f) => f.message)).toEqual([expect.stringContaining("canary")]);
});

test("IAM-LINT-03 sizes references pessimistically: a policy that fits with short names can fail with long ones", async () => {
  const world = goodWorld();
  const statements = Array.from({ length: 45 }, (_, i) => ({ Effect: "Allow", Action: "sqs:SendMessage", Resource: `\${aws_sqs_queue.q${i}.arn}` }));
  world.aws!.resource!.aws_iam_policy.operator_data.policy = JSON.stringify({ Version: "2012-10-17", Statement: statements });
  // 45 references to queues this stack does not declare: each is sized as the longest queue ARN.
  const result = await resultOf("IAM-LINT-03", world);
  expect(result.status).toBe("failed");
  expect(world.aws!.resource!.aws_iam_policy.operator_data.policy.length).toBeLessThan(6144);
});

describe("EC2NodeClass settings hard-coded in a local chart's templates count (EKS-11/12-NODECLASS)", () => {
  const template = (hop: string) => `apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
spec:
  role: {{ .Values.nodeRoleName | quote }}
  metadataOptions:
    httpEndpoint: enabled
    httpPutResponseHopLimit: ${hop}
    httpTokens: required
`;
  const worldWithTemplatedPools = () => {
    const world = goodWorld();
    // Values that only feed the templates: no metadataOptions here.
    world.helm!.resource!.helm_release.worker_pools.values = [
      "amiAlias: al2023@v20251117\nnodeRoleName: layer-fixture-karpenter-node\npools:\n  worker-cpu: {}\n",
    ];
    return world;
  };
  const run = async (id: string, hop: string | undefined) => {
    const rule = RULES.filter((r) => r.id === id);
    const chartTemplates = () => (hop === undefined ? undefined : [{ file: "charts/worker-pools/templates/ec2nodeclasses.yaml", text: template(hop) }]);
    return (await auditEnvironment(FIXTURE_ENV, worldWithTemplatedPools(), { rules: rule, waivers: [], chartTemplates })).results[0];
  };

  test("literal hop limit 1 and required tokens in the template pass", async () => {
    expect((await run("EKS-12-NODECLASS", "1")).status).toBe("passed");
    expect((await run("EKS-11-NODECLASS", "1")).status).toBe("passed");
  });
  test("hop limit 2 in the template fails", async () => {
    expect((await run("EKS-12-NODECLASS", "2")).status).toBe("failed");
  });
  test("a hop limit templated from values that are not set fails", async () => {
    expect((await run("EKS-12-NODECLASS", "{{ .Values.hopLimit }}")).status).toBe("failed");
  });
  test("a pools chart with neither values nor readable templates fails", async () => {
    expect((await run("EKS-12-NODECLASS", undefined)).status).toBe("failed");
  });
});

describe("IAM-LINT-02 matches a policy resource pattern against the catalogue's ARN formats", () => {
  const { resourceFitsFormat } = require("../../audit/rules/iam-lint") as typeof import("../../audit/rules/iam-lint");
  const OBJECT = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
  const BUCKET = "arn:${Partition}:s3:::${BucketName}";
  const STREAM = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
  const REPO = "arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}";
  test.each([
    ["arn:aws:s3:::data/snapshots/*", OBJECT, true],
    ["arn:aws:s3:::data", OBJECT, false],
    ["arn:aws:s3:::data", BUCKET, true],
    ["arn:aws:s3:::data/*", BUCKET, false],
    ["arn:aws:logs:eu-west-1:210987654321:log-group:/aws/vpc/flow-logs:*", STREAM, true],
    ["arn:aws:logs:eu-west-1:210987654321:log-group:/aws/vpc/flow-logs", STREAM, false],
    ["arn:aws:ecr:us-east-1:123456789012:repository/layer-dev/functions", REPO, true],
    ["arn:aws:ec2:us-east-1:*:instance/*", "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}", true],
    ["arn:aws:ec2:us-east-1:*:instance/*", "arn:${Partition}:ec2:${Region}:${Account}:volume/${VolumeId}", false],
  ])("%s fits %s: %s", (resource, format, fits) => {
    expect(resourceFitsFormat(resource, format)).toBe(fits);
  });
});

describe("IAM-12 holds the gateway to the bucket, its key and the one cost read", () => {
  const withGatewayStatement = (statement: object) => {
    const world = goodWorld();
    const policy = world.aws!.resource!.aws_iam_policy.gateway_data;
    const doc = JSON.parse(policy.policy);
    doc.Statement.push(statement);
    policy.policy = JSON.stringify(doc);
    return world;
  };
  test.each([
    ["another Cost Explorer action", { Effect: "Allow", Action: "ce:GetCostForecast", Resource: "*" }, /ce:GetCostForecast is outside/],
    [
      "the cost read scoped to a resource",
      { Effect: "Allow", Action: "ce:GetCostAndUsage", Resource: "arn:aws:ce::123456789012:anomalymonitor/x" },
      /ce:GetCostAndUsage on .*expected "\*"/,
    ],
  ])("%s fails", async (_label, statement, message) => {
    const result = await resultOf("IAM-12", withGatewayStatement(statement));
    expect(result.status).toBe("failed");
    expect(result.failed.map((f) => f.message).join("\n")).toMatch(message);
  });
});

describe("ADDON-01 checks the add-on releases against the catalog", () => {
  const lbc = (w: ReturnType<typeof goodWorld>) => w.helm!.resource!.helm_release.load_balancer_controller;
  const messages = async (world: ReturnType<typeof goodWorld>, env = FIXTURE_ENV) => {
    const audit = await auditEnvironment(env, world, { rules: RULES.filter((r) => r.id === "ADDON-01"), waivers: [] });
    return audit.results[0].failed.map((f) => `${f.address}: ${f.message}`);
  };

  test("another namespace, another repository, and pods that no longer select the system nodes", async () => {
    const world = goodWorld();
    Object.assign(lbc(world), { namespace: "ingress", repository: "https://example.com/charts" });
    lbc(world).values = [lbc(world).values[0].replace("layer.hev.dev/node-role: system", "layer.hev.dev/node-role: worker-cpu")];
    expect(await messages(world)).toEqual([
      'helm_release.load_balancer_controller: repository is "https://example.com/charts"; expected "https://aws.github.io/eks-charts"',
      'helm_release.load_balancer_controller: namespace is "ingress"; expected kube-system',
      "helm_release.load_balancer_controller: no values object selects layer.hev.dev/node-role: system and tolerates its taint; the load-balancer-controller add-on's pods belong on the system nodes",
    ]);
  });

  const enabling = (releases: object[]) => ({ ...FIXTURE_ENV, addons: [{ name: "load-balancer-controller" as const, releases: releases as any }] });
  const LBC = {
    releaseName: "aws-load-balancer-controller",
    chart: "aws-load-balancer-controller",
    repository: "https://aws.github.io/eks-charts",
    namespace: "kube-system",
    placement: "system-nodes",
  };

  test("with the environment's add-ons known: the pinned version, a missing release, a release of a disabled add-on", async () => {
    expect(await messages(goodWorld(), enabling([{ ...LBC, version: "3.5.0" }]))).toEqual([
      // worker-pools is in the fixture's Helm stack, but this environment enables only the controller.
      "helm_release.worker_pools: worker-pools belongs to the worker-pools add-on, which this environment does not enable",
    ]);
    const world = goodWorld();
    delete world.helm!.resource!.helm_release.worker_pools;
    expect(await messages(world, enabling([{ ...LBC, version: "3.5.1" }]))).toEqual([
      'helm_release.load_balancer_controller: version is "3.5.0"; the environment file pins 3.5.1',
    ]);
    delete world.helm!.resource!.helm_release.load_balancer_controller;
    expect(await messages(world, enabling([{ ...LBC, version: "3.5.0" }]))).toEqual([
      "helm_release (aws-load-balancer-controller): the load-balancer-controller add-on is enabled but the Helm stack has no release aws-load-balancer-controller",
    ]);
  });
});

describe("NODE-01 finds each broken part of the node contract", () => {
  test("a system node group without the taint", async () => {
    const world = goodWorld();
    delete world.aws!.resource!.aws_eks_node_group.system_nodes.taint;
    const result = await resultOf("NODE-01", world);
    expect(result.failed.map((f) => `${f.address}: ${f.message}`)).toEqual([
      "aws_eks_node_group.system_nodes: labelled layer.hev.dev/node-role=system but not tainted layer.hev.dev/node-role=system:NO_SCHEDULE",
    ]);
  });

  test("CoreDNS without the toleration, while the system nodes are tainted", async () => {
    const world = goodWorld();
    world.aws!.resource!.aws_eks_addon.coredns.configuration_values = JSON.stringify({ tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] });
    const result = await resultOf("NODE-01", world);
    expect(result.status).toBe("failed");
    expect(result.failed[0].message).toMatch(/coredns does not tolerate/);
  });

  test("a toleration of another role or effect does not count", async () => {
    const world = goodWorld();
    const release = world.helm!.resource!.helm_release.load_balancer_controller;
    release.values = [release.values[0].replace("value: system", "value: worker-cpu")];
    expect((await resultOf("NODE-01", world)).status).toBe("failed");
  });
});

test("EKS-07 fails when no access entry of the cluster has cluster admin (nobody reaches the API)", async () => {
  const withoutAdmin = goodWorld();
  delete withoutAdmin.aws!.resource!.aws_eks_access_policy_association;
  const withoutAdminResult = await resultOf("EKS-07", withoutAdmin);
  expect(withoutAdminResult.status).toBe("failed");
  expect(withoutAdminResult.failed.map((f) => f.message)).toEqual([expect.stringContaining("nobody can reach the Kubernetes API")]);
  // A node entry (EC2_LINUX) with the admin policy is not an admin.
  const nodeAdmin = goodWorld();
  nodeAdmin.aws!.resource!.aws_eks_access_policy_association.deployer_cluster_admin.principal_arn = "${aws_eks_access_entry.karpenter_node.principal_arn}";
  expect((await resultOf("EKS-07", nodeAdmin)).status).toBe("failed");
});
