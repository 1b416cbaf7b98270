import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import type { ClusterContext } from "../../constructs/cluster-context";
import { IrsaRole, ServiceAccountRef } from "../../constructs/irsa-role";
import { PolicyDocument, PolicyStatement, policyDocument, renderPolicy } from "../../constructs/iam-document";

/**
 * Interruption events Karpenter handles, keyed by a stable name (the key is
 * part of the rule's address and name). Exact sources and detail-types from
 * Karpenter's getting-started CloudFormation (v1.x):
 * https://github.com/aws/karpenter-provider-aws/blob/main/website/content/en/preview/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
export const INTERRUPTION_EVENTS: Record<string, { source: string; detailType: string }> = {
  health: { source: "aws.health", detailType: "AWS Health Event" },
  spot: { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  rebalance: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  "state-change": { source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  "capacity-interrupt": { source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
};

/** What the controller policies are scoped to. */
export interface KarpenterPolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The literal cluster name: it is part of tag condition keys. */
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly queueArn: string;
  readonly nodeRoleArn: string;
}

/**
 * The controller's permissions, split the way upstream splits them
 * (KarpenterController{NodeLifecycle,IAMIntegration,EKSIntegration,Interruption,
 * ResourceDiscovery}Policy) so each managed policy stays far below IAM's
 * 6,144-character limit for any cluster name. Statements mirror the v1.x
 * CloudFormation (with the 1.x additions for capacity reservations, placement
 * groups, node repair's DescribeInstanceStatus and the instance-profile
 * garbage collector's ListInstanceProfiles): EC2 writes are tag-scoped to this cluster and a NodePool,
 * PassRole only for the node role and only to EC2, SSM only for public AWS
 * parameters, SQS only on the queue, DescribeCluster only on this cluster.
 */
export function karpenterControllerPolicies(s: KarpenterPolicyScope): Record<string, PolicyDocument> {
  const ec2 = (resource: string) => `arn:${s.partition}:ec2:${s.region}:*:${resource}`;
  const instanceProfiles = `arn:${s.partition}:iam::${s.accountId}:instance-profile/*`;
  const clusterTag = `kubernetes.io/cluster/${s.clusterName}`;
  const launched = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2);
  const ownedByNodePool = {
    StringEquals: { [`aws:ResourceTag/${clusterTag}`]: "owned" },
    StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
  };

  const nodeLifecycle: PolicyStatement[] = [
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Resource: [
        `arn:${s.partition}:ec2:${s.region}::image/*`,
        `arn:${s.partition}:ec2:${s.region}::snapshot/*`,
        ec2("security-group/*"),
        ec2("subnet/*"),
        ec2("capacity-reservation/*"),
        ec2("placement-group/*"),
      ],
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
    },
    {
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Effect: "Allow",
      Resource: ec2("launch-template/*"),
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Condition: ownedByNodePool,
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Resource: launched,
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Condition: {
        StringEquals: { [`aws:RequestTag/${clusterTag}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Resource: launched,
      Action: "ec2:CreateTags",
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${clusterTag}`]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
          "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
        },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Resource: ec2("instance/*"),
      Action: "ec2:CreateTags",
      Condition: {
        ...ownedByNodePool,
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": s.clusterName },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Resource: [ec2("instance/*"), ec2("launch-template/*")],
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Condition: ownedByNodePool,
    },
  ];

  const iamIntegration: PolicyStatement[] = [
    {
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Resource: s.nodeRoleArn,
      Action: "iam:PassRole",
      Condition: { StringEquals: { "iam:PassedToService": s.partition === "aws-cn" ? ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] : "ec2.amazonaws.com" } },
    },
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Resource: instanceProfiles,
      Action: "iam:CreateInstanceProfile",
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${clusterTag}`]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
          "aws:RequestTag/topology.kubernetes.io/region": s.region,
        },
        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileTagActions",
      Effect: "Allow",
      Resource: instanceProfiles,
      Action: "iam:TagInstanceProfile",
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/${clusterTag}`]: "owned",
          "aws:ResourceTag/topology.kubernetes.io/region": s.region,
          [`aws:RequestTag/${clusterTag}`]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
          "aws:RequestTag/topology.kubernetes.io/region": s.region,
        },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Resource: instanceProfiles,
      Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: "owned", "aws:ResourceTag/topology.kubernetes.io/region": s.region },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: instanceProfiles, Action: "iam:GetInstanceProfile" },
    // The instance-profile garbage collector lists profiles; List* cannot be resource-scoped.
    { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: "iam:ListInstanceProfiles" },
  ];

  const eksIntegration: PolicyStatement[] = [
    { Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: s.clusterArn, Action: "eks:DescribeCluster" },
  ];

  const interruption: PolicyStatement[] = [
    {
      Sid: "AllowInterruptionQueueActions",
      Effect: "Allow",
      Resource: s.queueArn,
      Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
    },
  ];

  const resourceDiscovery: PolicyStatement[] = [
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Resource: "*",
      Action: [
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      Condition: { StringEquals: { "aws:RequestedRegion": s.region } },
    },
    {
      Sid: "AllowSSMReadActions",
      Effect: "Allow",
      Resource: `arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`,
      Action: "ssm:GetParameter",
    },
    { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
  ];

  return {
    "node-lifecycle": policyDocument(...nodeLifecycle),
    "iam-integration": policyDocument(...iamIntegration),
    "eks-integration": policyDocument(...eksIntegration),
    interruption: policyDocument(...interruption),
    "resource-discovery": policyDocument(...resourceDiscovery),
  };
}

/** Only EventBridge and SQS itself may send; nothing over plain HTTP (KAR-03). */
export function interruptionQueuePolicy(queueArn: string): PolicyDocument {
  return policyDocument(
    {
      Sid: "AllowInterruptionEvents",
      Effect: "Allow",
      Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
      Action: "sqs:SendMessage",
      Resource: queueArn,
    },
    {
      Sid: "DenyHTTP",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: queueArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
}

export interface KarpenterProps {
  readonly cluster: ClusterContext;
  /** The literal cluster name (tag condition keys, EventBridge rule names). */
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** `amazonaws.com`, or `amazonaws.com.cn` in China (EC2's service principal). */
  readonly dnsSuffix: string;
  readonly queueName: string;
  readonly controllerRoleName: string;
  readonly nodeRoleName: string;
  /** Prefix of the EventBridge rule names, e.g. `layer-dev`. */
  readonly namePrefix: string;
  /** The controller's service account (chart default name in `kube-system`). */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * Attach AmazonEKS_CNI_Policy to the node role. Off when the VPC CNI has its
   * own IRSA role (fresh clusters), on for clusters whose aws-node uses the node role.
   * @default true
   */
  readonly cniPolicyOnNodeRole?: boolean;
  /** Attach AmazonSSMManagedInstanceCore (Session Manager instead of SSH). @default true */
  readonly ssmAccess?: boolean;
  /**
   * Create the node role's EC2_LINUX access entry, so nodes Karpenter launches
   * can join. Needs a cluster that accepts access entries. @default cluster.managedHere
   */
  readonly createAccessEntry?: boolean;
}

/**
 * Karpenter's AWS side: the controller's IAM role, the node role with its
 * access entry, and the interruption queue fed by five EventBridge rules.
 *
 * The controller authenticates with IRSA, not EKS Pod Identity (upstream's
 * current default): IRSA works the same in fresh and existing clusters
 * without the pod identity agent add-on, and every controller role in this
 * project then shares one trust shape (exact sub and aud), audited in one place.
 */
export class Karpenter extends Construct {
  readonly controllerRole: IrsaRole;
  readonly nodeRole: IamRole;
  readonly queue: SqsQueue;
  readonly rules: Record<string, CloudwatchEventRule> = {};
  readonly accessEntry?: EksAccessEntry;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    const managed = (name: string) => `arn:${props.partition}:iam::aws:policy/${name}`;

    this.nodeRole = new IamRole(this, "node_role", {
      name: props.nodeRoleName,
      description: `Nodes Karpenter launches for ${props.clusterName}`,
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Sid: "EC2AssumesNodeRole",
          Effect: "Allow",
          Principal: { Service: `ec2.${props.dnsSuffix}` },
          Action: "sts:AssumeRole",
        }),
      ),
    });
    // IAM-14: worker, ECR pull-only, (CNI), (SSM core) and nothing else.
    const nodePolicies: Record<string, string> = {
      worker_node: managed("AmazonEKSWorkerNodePolicy"),
      ecr_pull: managed("AmazonEC2ContainerRegistryPullOnly"),
    };
    if (props.cniPolicyOnNodeRole ?? true) nodePolicies.cni = managed("AmazonEKS_CNI_Policy");
    if (props.ssmAccess ?? true) nodePolicies.ssm = managed("AmazonSSMManagedInstanceCore");
    for (const [name, arn] of Object.entries(nodePolicies)) {
      new IamRolePolicyAttachment(this, `node_role_${name}`, { role: this.nodeRole.name, policyArn: arn });
    }

    if (props.createAccessEntry ?? props.cluster.managedHere) {
      this.accessEntry = new EksAccessEntry(this, "node_access_entry", {
        clusterName: props.cluster.clusterName,
        principalArn: this.nodeRole.arn,
        type: "EC2_LINUX",
      });
    }

    // KAR-01, KAR-02: SSE and a retention as short as the events are useful.
    this.queue = new SqsQueue(this, "interruption_queue", {
      name: props.queueName,
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    new SqsQueuePolicy(this, "interruption_queue_policy", {
      queueUrl: this.queue.url,
      policy: renderPolicy(interruptionQueuePolicy(this.queue.arn)),
    });
    for (const [key, event] of Object.entries(INTERRUPTION_EVENTS)) {
      const rule = new CloudwatchEventRule(this, `${key}_rule`, {
        name: `${props.namePrefix}-karpenter-${key}`,
        description: `${event.detailType} events for Karpenter on ${props.clusterName}`,
        eventPattern: JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }),
      });
      new CloudwatchEventTarget(this, `${key}_target`, {
        rule: rule.name,
        targetId: "karpenter-interruption-queue",
        arn: this.queue.arn,
      });
      this.rules[key] = rule;
    }

    this.controllerRole = new IrsaRole(this, "controller_role", {
      roleName: props.controllerRoleName,
      description: `Karpenter controller on ${props.clusterName}`,
      oidcProvider: props.cluster.oidcProvider,
      serviceAccounts: [props.serviceAccount],
      policies: karpenterControllerPolicies({
        partition: props.partition,
        region: props.region,
        accountId: props.accountId,
        clusterName: props.clusterName,
        clusterArn: props.cluster.clusterArn,
        queueArn: this.queue.arn,
        nodeRoleArn: this.nodeRole.arn,
      }),
    });
  }
}
