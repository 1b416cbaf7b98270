import type { OidcProvider } from "./irsa-role";

/**
 * What the rest of the AWS stack needs to know about the environment's EKS
 * cluster, whether this project created it (fresh-cluster mode) or reads an
 * existing one (existing-cluster mode).
 */
export interface ClusterContext {
  readonly clusterName: string;
  /** Cluster ARN, for policies scoped to this cluster (`eks:DescribeCluster`). */
  readonly clusterArn: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly oidcProvider: OidcProvider;
  readonly vpcId: string;
  /** Subnets worker nodes (system node group, Karpenter pools, EFS mount targets) use. */
  readonly workerSubnetIds: string[];
  /** The EKS-managed cluster security group that nodes and the control plane share. */
  readonly clusterSecurityGroupId: string;
  /** True when this project created the cluster and may add access entries, add-ons and node groups to it. */
  readonly managedHere: boolean;
}
