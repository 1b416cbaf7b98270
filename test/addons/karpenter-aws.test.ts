import { INTERRUPTION_EVENTS, Karpenter, karpenterControllerPolicies } from "../../addons/karpenter/aws";
import { STUB_CLUSTER, policyLength, synthConstructs } from "../helpers/construct-stack";
import { asList, resourcesOfType } from "../helpers/terraform-json";

const props = {
  cluster: STUB_CLUSTER,
  clusterName: "layer-test",
  accountId: "123456789012",
  region: "us-east-1",
  partition: "aws",
  dnsSuffix: "amazonaws.com",
  queueName: "layer-test-karpenter-interruptions",
  controllerRoleName: "layer-test-karpenter-controller",
  nodeRoleName: "layer-test-karpenter-node",
  namePrefix: "layer-test",
  serviceAccount: { namespace: "kube-system", name: "karpenter" },
};

const stack = synthConstructs((scope) => new Karpenter(scope, "karpenter", props));
const roles = resourcesOfType(stack, "aws_iam_role");
const policies = resourcesOfType(stack, "aws_iam_policy");
const statements = Object.values(policies).flatMap((p: any) => JSON.parse(p.policy).Statement);
const bySid = (sid: string) => statements.find((s) => s.Sid === sid);

describe("interruption queue and events", () => {
  const queue = resourcesOfType(stack, "aws_sqs_queue").karpenter_interruption_queue;

  test("KAR-01, KAR-02: SSE on, 300 s retention, the deterministic name", () => {
    expect(queue).toMatchObject({ name: "layer-test-karpenter-interruptions", sqs_managed_sse_enabled: true, message_retention_seconds: 300 });
  });

  test("KAR-03: only EventBridge and SQS may send, and nothing over plain HTTP", () => {
    const policy = JSON.parse(resourcesOfType(stack, "aws_sqs_queue_policy").karpenter_interruption_queue_policy.policy);
    const allows = policy.Statement.filter((s: any) => s.Effect === "Allow");
    expect(allows).toHaveLength(1);
    expect(allows[0].Action).toBe("sqs:SendMessage");
    expect(asList(allows[0].Principal.Service).sort()).toEqual(["events.amazonaws.com", "sqs.amazonaws.com"]);
    expect(allows[0].Principal.AWS).toBeUndefined();
    expect(allows[0].Resource).toBe("${aws_sqs_queue.karpenter_interruption_queue.arn}");
    const deny = policy.Statement.find((s: any) => s.Effect === "Deny");
    expect(deny).toMatchObject({ Action: "sqs:*", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  test("KAR-04: five rules with the exact upstream sources and detail-types, every target the queue", () => {
    const rules = Object.values(resourcesOfType(stack, "aws_cloudwatch_event_rule")).map((r: any) => JSON.parse(r.event_pattern));
    expect(rules.map((p) => [p.source, p["detail-type"]]).sort()).toEqual(
      [
        [["aws.health"], ["AWS Health Event"]],
        [["aws.ec2"], ["EC2 Spot Instance Interruption Warning"]],
        [["aws.ec2"], ["EC2 Instance Rebalance Recommendation"]],
        [["aws.ec2"], ["EC2 Instance State-change Notification"]],
        [["aws.ec2"], ["EC2 Capacity Reservation Instance Interruption Warning"]],
      ].sort(),
    );
    const targets = Object.values(resourcesOfType(stack, "aws_cloudwatch_event_target"));
    expect(targets).toHaveLength(5);
    for (const t of targets as any[]) expect(t.arn).toBe("${aws_sqs_queue.karpenter_interruption_queue.arn}");
    for (const key of Object.keys(INTERRUPTION_EVENTS)) {
      expect(resourcesOfType(stack, "aws_cloudwatch_event_target")[`karpenter_${key.replace(/-/g, "_")}_target`].rule).toBe(
        `\${aws_cloudwatch_event_rule.karpenter_${key.replace(/-/g, "_")}_rule.name}`,
      );
    }
  });

  test("rule names fit EventBridge's 64 characters for the longest prefix and environment name", () => {
    const longest = `${"p".repeat(12)}-${"e".repeat(20)}`;
    for (const key of Object.keys(INTERRUPTION_EVENTS)) expect(`${longest}-karpenter-${key}`.length).toBeLessThanOrEqual(64);
  });
});

describe("node role", () => {
  const nodeRole = roles.karpenter_node_role;
  const attachments = Object.values(resourcesOfType(stack, "aws_iam_role_policy_attachment")).filter(
    (a: any) => a.role === "${aws_iam_role.karpenter_node_role.name}",
  );

  test("is assumed by EC2 only", () => {
    expect(nodeRole.name).toBe("layer-test-karpenter-node");
    const trust = JSON.parse(nodeRole.assume_role_policy).Statement;
    expect(trust).toEqual([expect.objectContaining({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" })]);
  });

  test("IAM-14: worker, ECR pull-only, CNI and SSM core, nothing else, no inline policy", () => {
    expect(attachments.map((a: any) => a.policy_arn.split("/").pop()).sort()).toEqual(
      ["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore"].sort(),
    );
    expect(nodeRole.inline_policy).toBeUndefined();
  });

  test("drops the CNI policy when the VPC CNI has its own role, and SSM when switched off", () => {
    const lean = synthConstructs((scope) => new Karpenter(scope, "karpenter", { ...props, cniPolicyOnNodeRole: false, ssmAccess: false }));
    const arns = Object.values(resourcesOfType(lean, "aws_iam_role_policy_attachment"))
      .filter((a: any) => a.role === "${aws_iam_role.karpenter_node_role.name}")
      .map((a: any) => a.policy_arn.split("/").pop());
    expect(arns.sort()).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy"]);
  });

  test("KAR-05: an EC2_LINUX access entry on a cluster managed here, none otherwise", () => {
    expect(Object.values(resourcesOfType(stack, "aws_eks_access_entry"))).toEqual([
      expect.objectContaining({ type: "EC2_LINUX", principal_arn: "${aws_iam_role.karpenter_node_role.arn}", cluster_name: "layer-test" }),
    ]);
    const existing = synthConstructs((scope) => new Karpenter(scope, "karpenter", { ...props, cluster: { ...STUB_CLUSTER, managedHere: false } }));
    expect(resourcesOfType(existing, "aws_eks_access_entry")).toEqual({});
  });
});

describe("controller role", () => {
  const controller = roles.karpenter_controller_role;

  test("IAM-02..04: IRSA trust for exactly kube-system/karpenter with StringEquals sub and aud", () => {
    const [trust] = JSON.parse(controller.assume_role_policy).Statement;
    expect(trust.Principal).toEqual({ Federated: STUB_CLUSTER.oidcProvider.arn });
    expect(trust.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(trust.Condition).toEqual({
      StringEquals: {
        [`${STUB_CLUSTER.oidcProvider.issuerHost}:sub`]: "system:serviceaccount:kube-system:karpenter",
        [`${STUB_CLUSTER.oidcProvider.issuerHost}:aud`]: "sts.amazonaws.com",
      },
    });
  });

  test("the upstream permission set is split into five managed policies keyed by stable names", () => {
    expect(Object.keys(policies).sort()).toEqual(
      ["eks_integration", "iam_integration", "interruption", "node_lifecycle", "resource_discovery"].map((k) => `karpenter_controller_role_${k}`).sort(),
    );
    expect(controller.inline_policy).toBeUndefined();
  });

  test("IAM-15: every EC2 create, tag and terminate statement is tag-scoped to this cluster and a NodePool", () => {
    const writes = statements.filter((s) =>
      asList<string>(s.Action).some((a) => /^ec2:(RunInstances|CreateFleet|CreateLaunchTemplate|CreateTags|TerminateInstances|DeleteLaunchTemplate)$/.test(a)),
    );
    expect(writes.length).toBeGreaterThanOrEqual(6);
    for (const s of writes) {
      if (s.Sid === "AllowScopedEC2InstanceAccessActions") {
        // RunInstances on shared inputs (AMIs, subnets, security groups): resources, not the instance.
        expect(asList<string>(s.Resource).every((r) => /:(image|snapshot|security-group|subnet|capacity-reservation|placement-group)\/\*$/.test(r))).toBe(true);
        continue;
      }
      const conditions = JSON.stringify(s.Condition);
      expect(conditions).toMatch(/aws:(Request|Resource)Tag\/kubernetes\.io\/cluster\/layer-test":"owned"/);
      expect(conditions).toMatch(/aws:(Request|Resource)Tag\/karpenter\.sh\/nodepool/);
    }
  });

  test("IAM-09: PassRole only on the node role and only to EC2", () => {
    const passRole = statements.filter((s) => asList<string>(s.Action).includes("iam:PassRole"));
    expect(passRole).toEqual([
      expect.objectContaining({
        Resource: "${aws_iam_role.karpenter_node_role.arn}",
        Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
      }),
    ]);
  });

  test("IAM-15: ssm:GetParameter only on public AWS parameters, SQS only on the queue, DescribeCluster only on this cluster", () => {
    expect(bySid("AllowSSMReadActions")).toMatchObject({ Action: "ssm:GetParameter", Resource: "arn:aws:ssm:us-east-1::parameter/aws/service/*" });
    const sqs = statements.filter((s) => asList<string>(s.Action).some((a) => a.startsWith("sqs:")));
    expect(sqs).toHaveLength(1);
    expect(sqs[0].Resource).toBe("${aws_sqs_queue.karpenter_interruption_queue.arn}");
    const eks = statements.filter((s) => asList<string>(s.Action).some((a) => a.startsWith("eks:")));
    expect(eks).toEqual([expect.objectContaining({ Action: "eks:DescribeCluster", Resource: STUB_CLUSTER.clusterArn })]);
  });

  test("IAM-07, IAM-08, IAM-10: no wildcard actions; Resource * only for actions that cannot be scoped", () => {
    const unscopable = /^(ec2:Describe\w+|pricing:GetProducts|iam:ListInstanceProfiles)$/;
    for (const s of statements) {
      for (const action of asList<string>(s.Action)) expect(action).not.toMatch(/\*/);
      if (asList(s.Resource).includes("*")) for (const action of asList<string>(s.Action)) expect(action).toMatch(unscopable);
    }
  });

  test("every rendered managed policy stays under 6,144 characters in the worst case", () => {
    const worst = {
      partition: "aws-us-gov",
      region: "ap-southeast-5",
      accountId: "999999999999",
      clusterName: `c${"x".repeat(99)}`,
    };
    const documents = karpenterControllerPolicies({
      ...worst,
      clusterArn: `arn:${worst.partition}:eks:${worst.region}:${worst.accountId}:cluster/${worst.clusterName}`,
      queueArn: `arn:${worst.partition}:sqs:${worst.region}:${worst.accountId}:${"q".repeat(80)}`,
      nodeRoleArn: `arn:${worst.partition}:iam::${worst.accountId}:role/${"r".repeat(64)}`,
    });
    expect(Object.keys(documents)).toHaveLength(5);
    for (const [name, document] of Object.entries(documents)) {
      const length = policyLength(document);
      if (length > 6144) throw new Error(`${name} renders to ${length} characters`);
      expect(length).toBeLessThanOrEqual(6144);
    }
    // The synthesized policies, with each reference replaced by a worst-case ARN, agree.
    for (const p of Object.values(policies) as any[]) {
      const rendered = p.policy.replace(/\$\{[^}]+\}/g, `arn:${worst.partition}:iam::${worst.accountId}:role/${"r".repeat(64)}`);
      expect(policyLength(rendered.replace(/layer-test/g, worst.clusterName))).toBeLessThanOrEqual(6144);
    }
  });
});
