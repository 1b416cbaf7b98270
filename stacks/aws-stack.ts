import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Environment } from "../config/environment";
import { awsStackName } from "../config/environment";
import { LayerStack } from "./layer-stack";
import { DataBucket } from "../constructs/data-bucket";
import { ImageRegistry } from "../constructs/image-registry";
import { dataBucketName, defaultTags } from "./naming";
import { ReleaseSecrets } from "../constructs/release-secrets";
import { releaseSecrets } from "../config/release-values";

/**
 * `layer-<env>-aws`: everything hev layer needs from AWS. Its outputs are
 * what the Helm stack and the product chart consume.
 */
export class AwsStack extends LayerStack {
  readonly dataBucket: DataBucket;
  readonly imageRegistry: ImageRegistry;
  readonly releaseSecrets?: ReleaseSecrets;

  constructor(scope: Construct, env: Environment) {
    super(scope, awsStackName(env), env);
    new AwsProvider(this, "aws", {
      region: env.region,
      // A deploy with credentials for another account stops before any change.
      allowedAccountIds: [env.accountId],
      defaultTags: [{ tags: defaultTags(env) }],
    });

    this.dataBucket = new DataBucket(this, "data-bucket", {
      bucketName: dataBucketName(env),
      accountId: env.accountId,
      partition: env.partition,
      searchHistoryRetentionDays: env.dataBucket.searchHistoryRetentionDays,
      clickstreamRetentionDays: env.dataBucket.clickstreamRetentionDays,
      noncurrentVersionRetentionDays: env.dataBucket.noncurrentVersionRetentionDays,
      protected: env.protected,
    });

    this.imageRegistry = new ImageRegistry(this, "image-registry", {
      namePrefix: env.resourcePrefix,
      accountId: env.accountId,
      partition: env.partition,
      untaggedExpiryDays: env.imageRegistry.untaggedExpiryDays,
      maxImageCount: env.imageRegistry.maxImageCount,
      protected: env.protected,
    });

    // release.secrets: secrets-manager keeps the release's secrets in Secrets Manager (docs/secrets.md).
    if (env.release.enabled && env.release.secrets === "secrets-manager") {
      this.releaseSecrets = new ReleaseSecrets(this, "release-secrets", {
        secrets: releaseSecrets(env).map((s) => ({ id: s.kubernetesSecret.name, name: s.secretsManagerName, description: s.description })),
        keyAlias: `${env.resourcePrefix}-release-secrets`,
        accountId: env.accountId,
        partition: env.partition,
        recoveryWindowInDays: env.protected ? 30 : 7,
        protected: env.protected,
      });
      for (const [id, secret] of Object.entries(this.releaseSecrets.secrets)) {
        new TerraformOutput(this, `${id.replace(/-/g, "_")}_secret_arn`, { value: secret.arn });
      }
    }

    new TerraformOutput(this, "region", { value: env.region });
    new TerraformOutput(this, "data_bucket_name", { value: this.dataBucket.bucket.bucket });
    new TerraformOutput(this, "data_bucket_arn", { value: this.dataBucket.bucket.arn });
    new TerraformOutput(this, "data_bucket_key_arn", { value: this.dataBucket.key.arn });
    for (const [name, repository] of Object.entries(this.imageRegistry.repositories)) {
      new TerraformOutput(this, `${name}_repository_url`, { value: repository.repositoryUrl });
    }
  }
}
