import { Construct } from "constructs";
import { ITerraformDependable, TerraformIterator, Token } from "cdktf";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import type { ClusterContext } from "../../constructs/cluster-context";
import { CustomerManagedKey } from "../../constructs/kms-key";
import { IrsaRole } from "../../constructs/irsa-role";
import { PolicyDocument, policyDocument, renderPolicy } from "../../constructs/iam-document";
import { protectFromDestroy } from "../../constructs/lifecycle";
import { CRITICAL_ADDONS_TOLERATION, SYSTEM_TOLERATION } from "../../config/node-roles";

/**
 * EFS CSI driver add-on configuration: its schema accepts
 * `controller.tolerations` (not a node selector), so the controller tolerates
 * the system nodes' taint next to the chart's defaults
 * (aws-efs-csi-driver values.yaml `controller.tolerations`); worker and
 * document-cache nodes stay closed to it by their own taints. The node
 * DaemonSet already tolerates every taint (`node.tolerations: [{operator: Exists}]`).
 */
export const EFS_CSI_DRIVER_CONFIGURATION = {
  controller: {
    tolerations: [CRITICAL_ADDONS_TOLERATION, { key: "efs.csi.aws.com/agent-not-ready", operator: "Exists" }, SYSTEM_TOLERATION],
  },
} as const;

/** NFS, the only port a mount target needs. */
export const NFS_PORT = 2049;

/** The two service accounts the EFS CSI driver add-on runs as, listed exactly (IAM-03). */
export const EFS_CSI_SERVICE_ACCOUNTS = [
  { namespace: "kube-system", name: "efs-csi-controller-sa" },
  { namespace: "kube-system", name: "efs-csi-node-sa" },
] as const;

/**
 * EFS-02: TLS only, and client access only through a mount target (the
 * shape of terraform-aws-modules/efs `deny_nonsecure_transport` and
 * `deny_nonsecure_transport_via_mount_target`).
 */
export function efsFileSystemPolicy(fileSystemArn: string): PolicyDocument {
  return policyDocument(
    {
      Sid: "DenyNonSecureTransport",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "*",
      Resource: fileSystemArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "ClientAccessViaMountTargetOnly",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
      Resource: fileSystemArn,
      Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
    },
  );
}

export interface SharedFileSystemProps {
  readonly cluster: ClusterContext;
  /** Deterministic creation token; the Helm stack finds the file system by it. */
  readonly creationToken: string;
  /** Stem of names (`layer-dev`): key alias, security group prefix. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly partition: string;
  /** @default "elastic" */
  readonly throughputMode?: "bursting" | "elastic";
  /**
   * Stable keys for the mount targets, one per worker subnet in the same
   * order (the availability zones), so reordering never replaces one.
   * @default the subnet's position
   */
  readonly subnetKeys?: string[];
  /** Adds `prevent_destroy` to the file system and its key. @default false */
  readonly protected?: boolean;
  /** IAM role name of the EFS CSI driver (IRSA). */
  readonly csiDriverRoleName: string;
  /**
   * Install the CSI driver as the EKS managed add-on `aws-efs-csi-driver`.
   * Only possible on a cluster this project manages. @default cluster.managedHere
   */
  readonly installCsiDriverAddon?: boolean;
  /** Pinned add-on version. @default EKS's default for the cluster version */
  readonly csiDriverAddonVersion?: string;
  /** The add-on's controller needs nodes: create it after these (the system node group). @default none */
  readonly csiDriverDependsOn?: ITerraformDependable[];
}

/**
 * The environment's shared EFS file system: encrypted with its own rotating
 * key (EFS-01), reachable only over TLS through mount targets (EFS-02), backed
 * up (EFS-03), with a mount target in every worker subnet behind a standalone
 * security group that admits NFS only from the cluster security group (NET-03).
 *
 * The security group is its own resource with a name prefix and
 * create_before_destroy, so replacing it never replaces the file system and
 * replacing the file system never recreates it.
 */
export class SharedFileSystem extends Construct {
  readonly key: CustomerManagedKey;
  readonly fileSystem: EfsFileSystem;
  readonly securityGroup: SecurityGroup;
  readonly csiDriverRole: IrsaRole;
  readonly csiDriverAddon?: EksAddon;

  constructor(scope: Construct, id: string, props: SharedFileSystemProps) {
    super(scope, id);
    this.key = new CustomerManagedKey(this, "key", {
      alias: `${props.namePrefix}-efs`,
      description: `Encrypts the shared EFS file system ${props.creationToken}`,
      accountId: props.accountId,
      partition: props.partition,
      protected: props.protected,
    });

    this.fileSystem = new EfsFileSystem(this, "default", {
      creationToken: props.creationToken,
      encrypted: true,
      kmsKeyId: this.key.arn,
      performanceMode: "generalPurpose",
      throughputMode: props.throughputMode ?? "elastic",
      tags: { Name: props.creationToken },
    });
    protectFromDestroy(this.fileSystem, props.protected ?? false);

    new EfsFileSystemPolicy(this, "policy", {
      fileSystemId: this.fileSystem.id,
      bypassPolicyLockoutSafetyCheck: false,
      policy: renderPolicy(efsFileSystemPolicy(this.fileSystem.arn)),
    });
    new EfsBackupPolicy(this, "backup_policy", {
      fileSystemId: this.fileSystem.id,
      backupPolicy: { status: "ENABLED" },
    });

    this.securityGroup = new SecurityGroup(this, "mount_targets", {
      namePrefix: `${props.namePrefix}-efs-`,
      description: `NFS to the ${props.creationToken} EFS mount targets from the cluster's nodes`,
      vpcId: props.cluster.vpcId,
      tags: { Name: `${props.namePrefix}-efs-mount-targets` },
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupIngressRule(this, "nfs_from_cluster", {
      securityGroupId: this.securityGroup.id,
      description: "NFS (TCP 2049) from nodes and pods in the EKS cluster security group",
      ipProtocol: "tcp",
      fromPort: NFS_PORT,
      toPort: NFS_PORT,
      referencedSecurityGroupId: props.cluster.clusterSecurityGroupId,
    });

    const subnets = props.cluster.workerSubnetIds;
    if (Token.isUnresolved(subnets)) {
      // An existing cluster's subnets are only known from a data source: one mount target per subnet id.
      const each = TerraformIterator.fromList(subnets);
      new EfsMountTarget(this, "mount_target", {
        forEach: each,
        fileSystemId: this.fileSystem.id,
        subnetId: each.value,
        securityGroups: [this.securityGroup.id],
      });
    } else {
      if (props.subnetKeys && props.subnetKeys.length !== subnets.length) {
        throw new Error(`${props.creationToken}: ${props.subnetKeys.length} mount target keys for ${subnets.length} worker subnets`);
      }
      subnets.forEach((subnetId, i) => {
        new EfsMountTarget(this, `mount_target_${props.subnetKeys?.[i] ?? i}`, {
          fileSystemId: this.fileSystem.id,
          subnetId,
          securityGroups: [this.securityGroup.id],
        });
      });
    }

    this.csiDriverRole = new IrsaRole(this, "csi_driver_role", {
      roleName: props.csiDriverRoleName,
      description: "EFS CSI driver: creates access points on the shared file system for dynamic volumes",
      oidcProvider: props.cluster.oidcProvider,
      serviceAccounts: [...EFS_CSI_SERVICE_ACCOUNTS],
      // The AWS managed policy is tag-conditioned upstream (efs.csi.aws.com/cluster on access points).
      managedPolicyArns: { efs_csi: `arn:${props.partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy` },
    });
    if (props.installCsiDriverAddon ?? props.cluster.managedHere) {
      this.csiDriverAddon = new EksAddon(this, "csi_driver", {
        clusterName: props.cluster.clusterName,
        addonName: "aws-efs-csi-driver",
        ...(props.csiDriverAddonVersion ? { addonVersion: props.csiDriverAddonVersion } : {}),
        serviceAccountRoleArn: this.csiDriverRole.arn,
        configurationValues: JSON.stringify(EFS_CSI_DRIVER_CONFIGURATION),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        dependsOn: props.csiDriverDependsOn,
      });
    }
  }
}
