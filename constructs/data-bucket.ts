import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { CustomerManagedKey } from "./kms-key";
import { policyDocument, renderPolicy } from "./iam-document";
import { protectFromDestroy } from "./lifecycle";

/** Gateway prefixes with their own lifecycle rules; every prefix the gateway uses is in config/gateway-access.ts. */
export const DATA_PREFIXES = {
  snapshots: "snapshots/",
  searchHistory: "search-history/",
  clickstream: "clickstream/",
} as const;

/**
 * Where the operator's pipeline workers keep chunk bodies between stages.
 * Kept apart from DATA_PREFIXES: the gateway never reads or writes it, and the
 * operator's role is scoped to it alone.
 */
export const PIPELINE_PREFIX = "pipelines/";

export interface DataBucketProps {
  readonly bucketName: string;
  readonly accountId: string;
  readonly partition: string;
  /** Days a search-history object is kept. @default 90 */
  readonly searchHistoryRetentionDays?: number;
  /** Days a clickstream event object is kept. @default 30 */
  readonly clickstreamRetentionDays?: number;
  /** Days a replaced or deleted object version is kept. @default 30 */
  readonly noncurrentVersionRetentionDays?: number;
  /** Adds `prevent_destroy` to the bucket and its key. @default false */
  readonly protected?: boolean;
}

/**
 * The gateway's bucket for snapshots, search history and clickstream events:
 * private, versioned, encrypted with its own key and TLS-only (S3-01..08).
 */
export class DataBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly key: CustomerManagedKey;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    this.key = new CustomerManagedKey(this, "key", {
      alias: `${props.bucketName}`,
      description: `Encrypts objects in s3://${props.bucketName}`,
      accountId: props.accountId,
      partition: props.partition,
      protected: props.protected,
    });

    this.bucket = new S3Bucket(this, "default", { bucket: props.bucketName, forceDestroy: false });
    protectFromDestroy(this.bucket, props.protected ?? false);

    new S3BucketPublicAccessBlock(this, "public_access_block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: renderPolicy(
        policyDocument({
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      ),
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "abort-incomplete-uploads-and-expire-old-versions",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionRetentionDays ?? 30 }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: "expire-search-history",
          status: "Enabled",
          filter: [{ prefix: DATA_PREFIXES.searchHistory }],
          expiration: [{ days: props.searchHistoryRetentionDays ?? 90 }],
        },
        {
          id: "expire-clickstream",
          status: "Enabled",
          filter: [{ prefix: DATA_PREFIXES.clickstream }],
          expiration: [{ days: props.clickstreamRetentionDays ?? 30 }],
        },
      ],
    });
  }
}
