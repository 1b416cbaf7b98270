import { Construct } from "constructs";
import { Fn, TerraformLocal } from "cdktf";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import type { ClusterContext } from "./cluster-context";
import type { OidcProvider } from "./irsa-role";

export interface ExistingClusterProps {
  readonly clusterName: string;
  /**
   * This stack will add EKS access entries to the cluster, so the cluster must
   * accept them (`API` or `API_AND_CONFIG_MAP`). @default false
   */
  readonly requiresAccessEntries?: boolean;
  /** Named in the plan-time error, e.g. `environments/existing.yaml`. */
  readonly environmentFile: string;
}

/**
 * A cluster this project does not manage, read by name (existing-cluster
 * mode). It yields the same ClusterContext as a fresh cluster, with
 * `managedHere: false`: no VPC, cluster, node group or add-ons are created.
 * Worker subnets are the cluster's own subnets.
 *
 * The cluster must already have an IAM OIDC provider (`eksctl utils
 * associate-iam-oidc-provider`); the data source fails the plan otherwise.
 */
export class ExistingCluster extends Construct implements ClusterContext {
  readonly cluster: DataAwsEksCluster;
  readonly oidcProviderData: DataAwsIamOpenidConnectProvider;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly oidcProvider: OidcProvider;
  readonly vpcId: string;
  readonly workerSubnetIds: string[];
  readonly clusterSecurityGroupId: string;
  readonly managedHere = false;

  constructor(scope: Construct, id: string, props: ExistingClusterProps) {
    super(scope, id);
    this.cluster = new DataAwsEksCluster(this, "default", {
      name: props.clusterName,
      lifecycle: props.requiresAccessEntries
        ? {
            postcondition: [
              {
                condition: '${self.access_config[0].authentication_mode != "CONFIG_MAP"}',
                errorMessage:
                  `EKS cluster ${props.clusterName} only accepts the aws-auth ConfigMap (authentication mode CONFIG_MAP), ` +
                  `but ${props.environmentFile} requests access entries (deployPrincipalArn, cluster.adminPrincipalArns). Switch the cluster to ` +
                  `API_AND_CONFIG_MAP (aws eks update-cluster-config --name ${props.clusterName} --access-config authenticationMode=API_AND_CONFIG_MAP) ` +
                  `or remove deployPrincipalArn and cluster.adminPrincipalArns from ${props.environmentFile}.`,
              },
            ],
          }
        : undefined,
    });
    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProviderData = new DataAwsIamOpenidConnectProvider(this, "oidc_provider", { url: issuer });

    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.endpoint = this.cluster.endpoint;
    this.certificateAuthorityData = this.cluster.certificateAuthority.get(0).data;
    // A local keeps the quotes of replace() out of policy JSON, so the
    // synthesized documents stay valid JSON for readers and scanners.
    const issuerHost = new TerraformLocal(this, "oidc_issuer_host", Fn.replace(issuer, "https://", ""));
    this.oidcProvider = { arn: this.oidcProviderData.arn, issuerHost: issuerHost.asString };
    const vpc = this.cluster.vpcConfig.get(0);
    this.vpcId = vpc.vpcId;
    this.workerSubnetIds = vpc.subnetIds;
    this.clusterSecurityGroupId = vpc.clusterSecurityGroupId;
  }
}
