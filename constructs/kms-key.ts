import { Construct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { PolicyStatement, policyDocument, renderPolicy } from "./iam-document";
import { protectFromDestroy } from "./lifecycle";

export interface CustomerManagedKeyProps {
  /** Alias without the `alias/` prefix, e.g. `layer-dev-data`. */
  readonly alias: string;
  readonly description: string;
  readonly accountId: string;
  readonly partition: string;
  /** Extra key-policy statements, e.g. for CloudWatch Logs. @default none */
  readonly extraStatements?: PolicyStatement[];
  /** Adds `prevent_destroy`. @default false */
  readonly protected?: boolean;
  /** Days before a scheduled deletion completes. @default 30 */
  readonly deletionWindowInDays?: number;
}

/**
 * A symmetric customer-managed KMS key with yearly rotation and an explicit
 * key policy: the account's IAM decides who uses it (KMS-01, KMS-02).
 */
export class CustomerManagedKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    const accountRoot = `arn:${props.partition}:iam::${props.accountId}:root`;
    this.key = new KmsKey(this, "default", {
      description: props.description,
      enableKeyRotation: true,
      isEnabled: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: "AccountAdministersKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: accountRoot },
            Action: "kms:*",
            Resource: "*",
          },
          ...(props.extraStatements ?? []),
        ),
      ),
    });
    protectFromDestroy(this.key, props.protected ?? false);
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
