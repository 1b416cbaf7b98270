import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { CustomerManagedKey } from "./kms-key";
import { protectFromDestroy } from "./lifecycle";

export interface ReleaseSecretSpec {
  /** Secrets Manager name, e.g. `layer-prod/layer-vector-store`. */
  readonly name: string;
  /** Stable construct id (it becomes the Terraform address), e.g. `layer-vector-store`. */
  readonly id: string;
  readonly description: string;
}

export interface ReleaseSecretsProps {
  readonly secrets: ReleaseSecretSpec[];
  /** KMS alias without `alias/`. */
  readonly keyAlias: string;
  readonly accountId: string;
  readonly partition: string;
  /** Days a deleted secret can still be restored (7-30). @default 30 */
  readonly recoveryWindowInDays?: number;
  /** Adds `prevent_destroy` to the secrets and their key. @default false */
  readonly protected?: boolean;
}

/**
 * Secrets Manager secrets for the release's secrets (security-bar SEC-05):
 * a customer-managed key, a recovery window, and no value. Terraform never
 * holds the value: it is put with `aws secretsmanager put-secret-value`
 * (docs/secrets.md), and External Secrets or the ASCP CSI driver syncs it
 * into the Kubernetes Secret the chart references.
 */
export class ReleaseSecrets extends Construct {
  readonly key: CustomerManagedKey;
  readonly secrets: Record<string, SecretsmanagerSecret> = {};

  constructor(scope: Construct, id: string, props: ReleaseSecretsProps) {
    super(scope, id);
    const window = props.recoveryWindowInDays ?? 30;
    if (window < 7 || window > 30) throw new Error(`recoveryWindowInDays must be 7-30, got ${window}`);
    this.key = new CustomerManagedKey(this, "key", {
      alias: props.keyAlias,
      description: `Encrypts the ${props.keyAlias} release secrets`,
      accountId: props.accountId,
      partition: props.partition,
      protected: props.protected,
    });
    for (const spec of props.secrets) {
      const secret = new SecretsmanagerSecret(this, spec.id, {
        name: spec.name,
        description: `${spec.description}. Value set outside Terraform (docs/secrets.md).`,
        kmsKeyId: this.key.arn,
        recoveryWindowInDays: window,
      });
      protectFromDestroy(secret, props.protected ?? false);
      this.secrets[spec.id] = secret;
    }
  }
}
