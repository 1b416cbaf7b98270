import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PolicyDocument, policyDocument, renderPolicy } from "./iam-document";

import { SYSTEM_NODE_SELECTOR, SYSTEM_TAINT } from "../config/node-roles";

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
  /** Tags on the instances and volumes the node group launches (cost allocation); `Name` is always set. @default {} */
  readonly instanceTags?: Record<string, string>;
  /** Created before the nodes (vpc-cni, pod identity agent). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The managed node group that hosts cluster-critical pods (Karpenter, CoreDNS,
 * the load balancer controller) and the product's pods, tainted
 * `layer.hev.dev/node-role=system:NoSchedule` so nothing else lands there.
 * By default it also hosts the document cache: i4i.large
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
        // Provider default_tags reach the launch template, not what it launches.
        { resourceType: "instance", tags: { ...props.instanceTags, Name: `${props.clusterName}-system` } },
        { resourceType: "volume", tags: { ...props.instanceTags, Name: `${props.clusterName}-system` } },
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
      // As the product's own install: only pods that tolerate it (the chart's, the add-ons') run here.
      taint: [{ key: SYSTEM_TAINT.key, value: SYSTEM_TAINT.value, effect: "NO_SCHEDULE" }],
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

/** Where nodeadm mounts the RAID0 array of instance-store NVMe. */
export const NVME_MOUNT = "/mnt/k8s-disks/0";

/**
 * The product chart hard-codes hostPaths under `/mnt/nvme` (VictoriaMetrics'
 * `/mnt/nvme/layer-vmsingle` in templates/vmsingle-statefulset.yaml and
 * vmsingle-backup-cronjob.yaml, values alone cannot move it), next to others
 * under the RAID0 mount. The link puts both on the same NVMe array; `-T`
 * makes it fail instead of nesting a link if `/mnt/nvme` is a directory.
 */
export const NVME_LINK = "/mnt/nvme";

export const SYSTEM_NODE_SCRIPT = `#!/bin/bash
set -euo pipefail
mkdir -p ${NVME_MOUNT}
ln -sfnT ${NVME_MOUNT} ${NVME_LINK}
`;

/**
 * MIME multipart, as managed node groups require for launch-template user
 * data: the NodeConfig for nodeadm and a shell part that cloud-init runs
 * before kubelet starts (nodeadm-run.service is ordered after cloud-final:
 * https://github.com/awslabs/amazon-eks-ami/blob/main/templates/al2023/runtime/rootfs/etc/systemd/system/nodeadm-run.service).
 */
export function systemNodeUserData(): string {
  return [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="LAYERBOUNDARY"',
    "",
    "--LAYERBOUNDARY",
    "Content-Type: application/node.eks.aws",
    "",
    SYSTEM_NODE_CONFIG,
    "--LAYERBOUNDARY",
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    SYSTEM_NODE_SCRIPT,
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
