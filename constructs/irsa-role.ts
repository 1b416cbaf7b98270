import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PolicyDocument, policyDocument, renderPolicy } from "./iam-document";

/** The cluster's IAM OIDC provider, as IRSA trust policies need it. */
export interface OidcProvider {
  /** `arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>` */
  readonly arn: string;
  /** The issuer without `https://`, the prefix of the `:sub` and `:aud` condition keys. */
  readonly issuerHost: string;
}

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export interface IrsaRoleProps {
  readonly roleName: string;
  readonly description: string;
  readonly oidcProvider: OidcProvider;
  /** Every service account allowed to assume the role, listed exactly (no wildcards). */
  readonly serviceAccounts: ServiceAccountRef[];
  /** Customer-managed policies, keyed by a stable name (the key becomes part of the address). @default {} */
  readonly policies?: Record<string, PolicyDocument>;
  /** AWS managed policy ARNs, keyed by a stable name. @default {} */
  readonly managedPolicyArns?: Record<string, string>;
}

/**
 * An IAM role for Kubernetes service accounts (IRSA). The trust policy is
 * exact on both `sub` and `aud` with StringEquals (security bar IAM-02..04).
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  readonly policies: Record<string, IamPolicy> = {};
  /** Every policy attachment: what a consumer waits for before the role's permissions are usable. */
  readonly attachments: IamRolePolicyAttachment[] = [];

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    if (props.serviceAccounts.length === 0) throw new Error(`${props.roleName}: an IRSA role needs at least one service account`);
    this.role = new IamRole(this, "default", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: renderPolicy(irsaTrustPolicy(props.oidcProvider, props.serviceAccounts)),
    });
    this.arn = this.role.arn;
    for (const [name, document] of Object.entries(props.policies ?? {})) {
      const policy = new IamPolicy(this, name, {
        name: `${props.roleName}-${name}`,
        policy: renderPolicy(document),
      });
      this.attachments.push(new IamRolePolicyAttachment(this, `${name}_attachment`, { role: this.role.name, policyArn: policy.arn }));
      this.policies[name] = policy;
    }
    for (const [name, arn] of Object.entries(props.managedPolicyArns ?? {})) {
      this.attachments.push(new IamRolePolicyAttachment(this, name, { role: this.role.name, policyArn: arn }));
    }
  }
}

export function irsaTrustPolicy(provider: OidcProvider, serviceAccounts: ServiceAccountRef[]): PolicyDocument {
  const subjects = serviceAccounts.map((sa) => `system:serviceaccount:${sa.namespace}:${sa.name}`);
  return policyDocument({
    Sid: "ServiceAccountsOfThisCluster",
    Effect: "Allow",
    Principal: { Federated: provider.arn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${provider.issuerHost}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
        [`${provider.issuerHost}:aud`]: "sts.amazonaws.com",
      },
    },
  });
}
