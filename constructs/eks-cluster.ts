import { Construct } from "constructs";
import { Fn, TerraformLocal, ITerraformDependable } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { CustomerManagedKey } from "./kms-key";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { ClusterAdminAccess } from "./cluster-admin-access";
import { IrsaRole, OidcProvider } from "./irsa-role";
import { PolicyDocument, policyDocument, renderPolicy } from "./iam-document";
import { protectFromDestroy } from "./lifecycle";
import { CRITICAL_ADDONS_TOLERATION, systemPlacement } from "../config/node-roles";

export type ClusterLogType = "api" | "audit" | "authenticator" | "controllerManager" | "scheduler";

/** Pinned EKS add-on versions; an omitted one lets EKS install its default for the cluster version. */
export interface AddonVersions {
  readonly vpcCni?: string;
  readonly podIdentityAgent?: string;
  readonly coreDns?: string;
  readonly kubeProxy?: string;
}

export interface EksClusterProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  /** Subnets for the control plane's network interfaces. */
  readonly subnetIds: string[];
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly dnsSuffix: string;
  /** Name of the cluster's IAM role (config/naming.ts `roleName(env, "cluster")`). */
  readonly clusterRoleName: string;
  /** Name of the `aws-node` IRSA role (config/naming.ts `roleName(env, "vpc-cni")`). */
  readonly vpcCniRoleName: string;
  /** Public API endpoint, limited to `publicAccessCidrs`. @default false */
  readonly endpointPublicAccess?: boolean;
  /** @default [] */
  readonly publicAccessCidrs?: readonly string[];
  /** @default ["api", "audit", "authenticator"] */
  readonly logTypes?: readonly ClusterLogType[];
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** Principals given cluster admin through access entries. @default [] */
  readonly adminPrincipalArns?: readonly string[];
  /** @default {} (EKS default versions) */
  readonly addonVersions?: AddonVersions;
  /** Adds `prevent_destroy` to the cluster, its keys and its log group. @default false */
  readonly protected?: boolean;
}

/**
 * The EKS control plane: API-only authentication with explicit admin access
 * entries, secrets envelope encryption with a rotating key, control-plane
 * logs in a declared, encrypted log group, the IAM OIDC provider for IRSA,
 * and the EKS managed add-ons (EKS-01..08, IAM-01).
 *
 * Add-on order: the node networking add-ons (`vpc-cni`, `kube-proxy`,
 * `eks-pod-identity-agent`) are created before any compute, so a node is
 * Ready with pod networking and Service routing as it joins (`networkAddons`,
 * for the node group's depends_on; the `before_compute` add-ons of
 * terraform-aws-modules/eks); `vpc-cni` also waits for its role's
 * AmazonEKS_CNI_Policy attachment, or aws-node starts without ENI rights.
 * `coredns` is a Deployment that needs schedulable nodes and is added by
 * `addComputeDependentAddons` once compute exists.
 */
export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  readonly role: IamRole;
  readonly secretsKey: CustomerManagedKey;
  readonly logs: EncryptedLogGroup;
  readonly oidcProvider: OidcProvider;
  readonly oidcProviderResource: IamOpenidConnectProvider;
  /** `aws-node` runs with this IRSA role, so the node role needs no CNI policy. */
  readonly vpcCniRole: IrsaRole;
  /** Add-ons compute must wait for. */
  readonly networkAddons: EksAddon[];
  private readonly addonVersions: AddonVersions;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const isProtected = props.protected ?? false;
    this.addonVersions = props.addonVersions ?? {};

    this.role = new IamRole(this, "role", {
      name: props.clusterRoleName,
      description: `EKS control plane of ${props.clusterName}`,
      assumeRolePolicy: renderPolicy(CLUSTER_TRUST_POLICY),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "role_cluster_policy", {
      role: this.role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });

    this.secretsKey = new CustomerManagedKey(this, "secrets_key", {
      alias: `${props.clusterName}-eks-secrets`,
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${props.clusterName}`,
      accountId: props.accountId,
      partition: props.partition,
      protected: isProtected,
    });
    const encryptionPolicy = new IamPolicy(this, "role_encryption_policy", {
      name: `${props.clusterRoleName}-secrets-encryption`,
      policy: renderPolicy(clusterEncryptionPolicy(this.secretsKey.arn)),
    });
    const encryptionAttachment = new IamRolePolicyAttachment(this, "role_encryption_policy_attachment", {
      role: this.role.name,
      policyArn: encryptionPolicy.arn,
    });

    // Declared here so EKS never creates it itself without retention or KMS (EKS-05).
    this.logs = new EncryptedLogGroup(this, "logs", {
      logGroupName: `/aws/eks/${props.clusterName}/cluster`,
      keyAlias: `${props.clusterName}-eks-logs`,
      retentionInDays: props.logRetentionDays ?? 90,
      region: props.region,
      accountId: props.accountId,
      partition: props.partition,
      dnsSuffix: props.dnsSuffix,
      protected: isProtected,
    });

    const publicAccess = props.endpointPublicAccess ?? false;
    this.cluster = new EksClusterResource(this, "default", {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: this.role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        ...(publicAccess ? { publicAccessCidrs: [...(props.publicAccessCidrs ?? [])] } : {}),
      },
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: false,
      },
      // Add-ons are EKS managed add-ons below, not the unmanaged defaults.
      bootstrapSelfManagedAddons: false,
      encryptionConfig: {
        resources: ["secrets"],
        provider: { keyArn: this.secretsKey.arn },
      },
      enabledClusterLogTypes: [...(props.logTypes ?? ["api", "audit", "authenticator"])],
      dependsOn: [this.logs.logGroup, clusterPolicy, encryptionAttachment],
    });
    protectFromDestroy(this.cluster, isProtected);

    new ClusterAdminAccess(this, "admin_access", {
      clusterName: this.cluster.name,
      partition: props.partition,
      principalArns: props.adminPrincipalArns ?? [],
    });

    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProviderResource = new IamOpenidConnectProvider(this, "oidc_provider", {
      url: issuer,
      clientIdList: ["sts.amazonaws.com"],
      tags: { Name: `${props.clusterName}-irsa` },
    });
    // A local keeps the quotes of replace() out of policy JSON, so the
    // synthesized documents stay valid JSON for readers and scanners.
    const issuerHost = new TerraformLocal(this, "oidc_issuer_host", Fn.replace(issuer, "https://", ""));
    this.oidcProvider = { arn: this.oidcProviderResource.arn, issuerHost: issuerHost.asString };

    // BPG "Update the aws-node daemonset to use IRSA": the CNI policy moves
    // off the node role, so pods that reach the node role learn nothing of ENIs.
    this.vpcCniRole = new IrsaRole(this, "vpc_cni_role", {
      roleName: props.vpcCniRoleName,
      description: `aws-node (VPC CNI) of ${props.clusterName}`,
      oidcProvider: this.oidcProvider,
      serviceAccounts: [{ namespace: "kube-system", name: "aws-node" }],
      managedPolicyArns: { cni_policy: `arn:${props.partition}:iam::aws:policy/AmazonEKS_CNI_Policy` },
    });

    this.networkAddons = [
      this.addon("vpc-cni", this.addonVersions.vpcCni, this.vpcCniRole.arn, this.vpcCniRole.attachments),
      this.addon("kube-proxy", this.addonVersions.kubeProxy),
      this.addon("eks-pod-identity-agent", this.addonVersions.podIdentityAgent),
    ];
  }

  /**
   * `coredns`, after the nodes it runs on exist, on the tainted system nodes
   * (COREDNS_CONFIGURATION). kube-proxy, like aws-node and the pod identity
   * agent, is a DaemonSet that tolerates every taint by default.
   */
  addComputeDependentAddons(compute: ITerraformDependable[]): EksAddon[] {
    return [this.addon("coredns", this.addonVersions.coreDns, undefined, compute, COREDNS_CONFIGURATION)];
  }

  private addon(
    name: string,
    version: string | undefined,
    serviceAccountRoleArn?: string,
    dependsOn?: ITerraformDependable[],
    configuration?: Record<string, unknown>,
  ): EksAddon {
    return new EksAddon(this, `addon_${name}`, {
      clusterName: this.cluster.name,
      addonName: name,
      ...(version ? { addonVersion: version } : {}),
      ...(serviceAccountRoleArn ? { serviceAccountRoleArn } : {}),
      ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      ...(dependsOn ? { dependsOn } : {}),
    });
  }
}

/**
 * CoreDNS add-on configuration (its schema accepts `nodeSelector` and
 * `tolerations`: `aws eks describe-addon-configuration --addon-name coredns`):
 * on the system nodes through their taint, keeping the add-on's default
 * CriticalAddonsOnly toleration.
 * https://aws.amazon.com/blogs/containers/amazon-eks-add-ons-advanced-configuration/
 */
export const COREDNS_CONFIGURATION: Record<string, unknown> = { ...systemPlacement([CRITICAL_ADDONS_TOLERATION]) };

/** https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html */
export const CLUSTER_TRUST_POLICY: PolicyDocument = policyDocument({
  Sid: "EksControlPlane",
  Effect: "Allow",
  Principal: { Service: "eks.amazonaws.com" },
  Action: ["sts:AssumeRole", "sts:TagSession"],
});

/** What the control plane needs of the secrets key (as terraform-aws-modules/eks grants it). */
export function clusterEncryptionPolicy(keyArn: string): PolicyDocument {
  return policyDocument({
    Sid: "EnvelopeEncryptionWithTheSecretsKey",
    Effect: "Allow",
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
    Resource: keyArn,
  });
}
