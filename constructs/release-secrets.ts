import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { CustomerManagedKey } from "./kms-key";
import { protectFromDestroy } from "./lifecycle";

export interface ReleaseSecretSpec {
  /** Secrets Manager name, e.g. `layer-prod/vector-store-api-key`. */
  readonly name: string;
  /** Stable construct id (it becomes the Terraform address), e.g. `vector-store-api-key`. */
  readonly id: string;
  readonly description: string;
  /**
   * Generate the value once (a 48-character password from Secrets Manager)
   * instead of waiting for a person to put it. @default false
   */
  readonly generated?: boolean;
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
 * a customer-managed key and a recovery window. Terraform never holds a
 * value: a person puts the upstream key, gateway key and license with
 * `aws secretsmanager put-secret-value` (docs/secrets.md); generated secrets
 * (dashboard password, key pepper) come from the ephemeral
 * `aws_secretsmanager_random_password` and are written with the write-only
 * `secret_string_wo`, once (`secret_string_wo_version` never changes, so the
 * pepper stays stable across applies). The Helm stack reads them back with
 * the ephemeral `aws_secretsmanager_secret_version`.
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
        description: `${spec.description}. ${spec.generated ? "Generated once by Terraform (write-only, never in state)." : "Value set outside Terraform (docs/secrets.md)."}`,
        kmsKeyId: this.key.arn,
        recoveryWindowInDays: window,
      });
      protectFromDestroy(secret, props.protected ?? false);
      this.secrets[spec.id] = secret;
      if (spec.generated) this.generateValue(spec, secret);
    }
  }

  private generateValue(spec: ReleaseSecretSpec, secret: SecretsmanagerSecret): void {
    const name = `${spec.id.replace(/-/g, "_")}_generator`;
    // cdktf 0.21 has no construct for `ephemeral` blocks (Terraform >= 1.10): raw JSON.
    // Referencing the secret's ARN makes Terraform open the generator only once the
    // secret exists, so planning a new environment makes no Secrets Manager call.
    TerraformStack.of(this).addOverride(`ephemeral.aws_secretsmanager_random_password.${name}`, {
      password_length: 48,
      // No punctuation: the value passes through Helm's --set parser and HTTP basic auth.
      exclude_punctuation: true,
      exclude_characters: `\${replace(${secret.fqn}.arn, "/.*/", "")}`,
    });
    new SecretsmanagerSecretVersion(this, `${spec.id}_value`, {
      secretId: secret.id,
      secretStringWo: `\${ephemeral.aws_secretsmanager_random_password.${name}.random_password}`,
      // Never bumped: a new version would replace the pepper and invalidate every minted key.
      secretStringWoVersion: 1,
    });
  }
}
