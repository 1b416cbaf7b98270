import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PolicyDocument, policyDocument, renderPolicy } from "./iam-document";

import { SYSTEM_NODE_SELECTOR } from "../config/node-roles";

export interface SystemNodeGroupProps {
  readonly clusterName: string;
  /** The cluster's Kubernetes version, so nodes follow control-plane upgrades. */
  readonly kubernetesVersion: string;
  readonly subnetIds: string[];
  readonly partition: string;
  /** Name of the node IAM role (config/naming.ts `roleName(env, "system-node")`). */
  readonly nodeRoleName: string;
  /** @default "i4i.large" (install guide: its NVMe serves the document cache) */
  readonly instanceType?: string;
  /** @default 1 */
  readonly minSize?: number;
  /** Only the initial size: later changes by autoscaling or by hand are kept. @default 1 */
  readonly desiredSize?: number;
  /** @default 2 */
  readonly maxSize?: number;
  /** @default 50 */
  readonly rootVolumeGiB?: number;
  /** Attach AmazonSSMManagedInstanceCore (shell access without SSH). @default true */
  readonly ssmAccess?: boolean;
  /**
   * Attach AmazonEKS_CNI_Policy to the node role. Off when `aws-node` has its
   * own IRSA role (this project's default). @default false
   */
  readonly cniPolicyOnNodeRole?: boolean;
  /** Created before the nodes (vpc-cni, pod identity agent). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The managed node group that hosts cluster-critical pods (Karpenter, CoreDNS,
 * the load balancer controller) and, by default, the document cache: i4i.large
 * on AL2023 with its instance-store NVMe assembled as RAID0 by nodeadm, so
 * kubelet, containerd and every emptyDir live on NVMe (see docs/cluster.md).
 *
 * Launch template (EKS-09, EKS-11..14): IMDSv2 only with hop limit 1, an
 * encrypted gp3 root volume, no SSH key and no public-IP override. Without
 * its own security groups the node group uses the EKS cluster security group.
 */
export class SystemNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly role: IamRole;
  readonly launchTemplate: LaunchTemplate;
  /** The policy attachments the nodes need before they join. */
  readonly roleAttachments: IamRolePolicyAttachment[] = [];

  constructor(scope: Construct, id: string, props: SystemNodeGroupProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.nodeRoleName,
      description: `System node group of ${props.clusterName}`,
      assumeRolePolicy: renderPolicy(NODE_TRUST_POLICY),
    });
    for (const [name, arn] of Object.entries(nodeRolePolicyArns(props.partition, props.ssmAccess ?? true, props.cniPolicyOnNodeRole ?? false))) {
      this.roleAttachments.push(new IamRolePolicyAttachment(this, `role_${name}`, { role: this.role.name, policyArn: arn }));
    }

    this.launchTemplate = new LaunchTemplate(this, "launch_template", {
      name: `${props.clusterName}-system`,
      description: `System node group of ${props.clusterName}: IMDSv2, encrypted root volume, NVMe RAID0`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        // 1: pods (a network hop away) cannot reach IMDS and the node role.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: props.rootVolumeGiB ?? 50,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      userData: Buffer.from(systemNodeUserData()).toString("base64"),
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${props.clusterName}-system` } },
        { resourceType: "volume", tags: { Name: `${props.clusterName}-system` } },
      ],
    });

    this.nodeGroup = new EksNodeGroup(this, "default", {
      clusterName: props.clusterName,
      nodeGroupName: "system",
      version: props.kubernetesVersion,
      nodeRoleArn: this.role.arn,
      subnetIds: props.subnetIds,
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "ON_DEMAND",
      instanceTypes: [props.instanceType ?? "i4i.large"],
      scalingConfig: {
        minSize: props.minSize ?? 1,
        desiredSize: props.desiredSize ?? 1,
        maxSize: props.maxSize ?? 2,
      },
      updateConfig: { maxUnavailable: 1 },
      labels: { ...SYSTEM_NODE_SELECTOR },
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
      dependsOn: [...this.roleAttachments, ...(props.dependsOn ?? [])],
    });
  }
}

/**
 * nodeadm configuration merged with the one EKS writes for managed node
 * groups: `localStorage.strategy: RAID0` assembles every instance-store NVMe
 * into one array mounted at /mnt/k8s-disks/0 and bind-mounts /var/lib/kubelet,
 * /var/lib/containerd and /var/log/pods onto it.
 * https://github.com/awslabs/amazon-eks-ami/blob/main/nodeadm/doc/api.md (LocalStorageOptions)
 */
export const SYSTEM_NODE_CONFIG = `---
apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  instance:
    localStorage:
      strategy: RAID0
`;

/** MIME multipart, as managed node groups require for launch-template user data. */
export function systemNodeUserData(): string {
  return [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="LAYERBOUNDARY"',
    "",
    "--LAYERBOUNDARY",
    "Content-Type: application/node.eks.aws",
    "",
    SYSTEM_NODE_CONFIG,
    "--LAYERBOUNDARY--",
    "",
  ].join("\n");
}

export const NODE_TRUST_POLICY: PolicyDocument = policyDocument({
  Sid: "Ec2Instances",
  Effect: "Allow",
  Principal: { Service: "ec2.amazonaws.com" },
  Action: "sts:AssumeRole",
});

/** Managed policies of the node role, keyed by stable names (IAM-14). */
export function nodeRolePolicyArns(partition: string, ssmAccess: boolean, cniPolicy: boolean): Record<string, string> {
  const managed = (name: string) => `arn:${partition}:iam::aws:policy/${name}`;
  return {
    worker_node_policy: managed("AmazonEKSWorkerNodePolicy"),
    registry_pull_only: managed("AmazonEC2ContainerRegistryPullOnly"),
    ...(cniPolicy ? { cni_policy: managed("AmazonEKS_CNI_Policy") } : {}),
    ...(ssmAccess ? { ssm_managed_instance_core: managed("AmazonSSMManagedInstanceCore") } : {}),
  };
}
