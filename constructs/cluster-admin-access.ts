import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { principalKey } from "../config/naming";

export { principalKey };

export interface ClusterAdminAccessProps {
  readonly clusterName: string;
  readonly partition: string;
  /** IAM role or user ARNs given cluster admin. */
  readonly principalArns: readonly string[];
}

/**
 * Cluster admin through EKS access entries (EKS-06/07): one access entry and
 * one `AmazonEKSClusterAdminPolicy` association (cluster scope) per principal.
 * Each pair is keyed by the principal's own name (`role/platform-admin` →
 * `role_platform_admin`), never by its position in the list, so reordering
 * or removing one principal never touches the others.
 */
export class ClusterAdminAccess extends Construct {
  readonly entries: Record<string, EksAccessEntry> = {};

  constructor(scope: Construct, id: string, props: ClusterAdminAccessProps) {
    super(scope, id);
    const policyArn = `arn:${props.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
    const seen = new Map<string, string>();
    for (const principalArn of props.principalArns) {
      const key = principalKey(principalArn);
      if (seen.has(key)) {
        throw new Error(`cluster admin principals ${seen.get(key)} and ${principalArn} share the name "${key}"; list each principal once`);
      }
      seen.set(key, principalArn);
      const entry = new EksAccessEntry(this, key, { clusterName: props.clusterName, principalArn, type: "STANDARD" });
      new EksAccessPolicyAssociation(this, `${key}_cluster_admin`, {
        clusterName: props.clusterName,
        // Through the entry, so the association waits for it.
        principalArn: entry.principalArn,
        policyArn,
        accessScope: { type: "cluster" },
      });
      this.entries[key] = entry;
    }
  }
}
