import { Construct } from "constructs";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";

export interface PrivateApiAccessProps {
  /** The EKS-managed cluster security group, which guards the private API endpoint's network interfaces. */
  readonly clusterSecurityGroupId: string;
  /**
   * Networks that reach the private endpoint: a CI runner's subnet in this
   * VPC, or a peered, VPN or Transit Gateway network. @default []
   */
  readonly cidrs?: readonly string[];
  readonly clusterName: string;
}

/**
 * HTTPS (443) to the Kubernetes API's private endpoint from named networks.
 * The cluster security group admits only its own members (the control plane
 * and the nodes), so a deploy runner elsewhere in the VPC or in a peered
 * network times out without this rule
 * (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html#private-access).
 * One rule per CIDR, keyed by the CIDR, so adding one never replaces another.
 */
export class PrivateApiAccess extends Construct {
  readonly rules: Record<string, VpcSecurityGroupIngressRule> = {};

  constructor(scope: Construct, id: string, props: PrivateApiAccessProps) {
    super(scope, id);
    for (const cidr of props.cidrs ?? []) {
      const key = cidr.replace(/[./]/g, "_");
      this.rules[key] = new VpcSecurityGroupIngressRule(this, key, {
        securityGroupId: props.clusterSecurityGroupId,
        description: `Kubernetes API of ${props.clusterName} from ${cidr} (deploy runner)`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    }
  }
}
