import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CustomerManagedKey } from "./kms-key";
import type { PolicyStatement } from "./iam-document";
import { protectFromDestroy } from "./lifecycle";

export interface EncryptedLogGroupProps {
  /** Log group name, e.g. `/aws/eks/<cluster>/cluster`. */
  readonly logGroupName: string;
  /** Alias of the log group's own key, without `alias/`. */
  readonly keyAlias: string;
  readonly retentionInDays: number;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly dnsSuffix: string;
  /** Adds `prevent_destroy` to the log group and its key. @default false */
  readonly protected?: boolean;
}

/**
 * A CloudWatch log group with retention and its own rotating KMS key
 * (CW-01, KMS-01/02). The key lets CloudWatch Logs use it only for this log
 * group, through the `aws:logs:arn` encryption context:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export class EncryptedLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly key: CustomerManagedKey;
  /** The log group ARN without the trailing `:*`, known at synth time. */
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    this.logGroupArn = `arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:${props.logGroupName}`;
    this.key = new CustomerManagedKey(this, "key", {
      alias: props.keyAlias,
      description: `Encrypts the CloudWatch log group ${props.logGroupName}`,
      accountId: props.accountId,
      partition: props.partition,
      protected: props.protected,
      extraStatements: [logsServiceKeyStatement(props.region, props.dnsSuffix, this.logGroupArn)],
    });
    this.logGroup = new CloudwatchLogGroup(this, "default", {
      name: props.logGroupName,
      retentionInDays: props.retentionInDays,
      kmsKeyId: this.key.arn,
    });
    protectFromDestroy(this.logGroup, props.protected ?? false);
  }
}

/** CloudWatch Logs may use the key, but only for the one log group named in the encryption context. */
export function logsServiceKeyStatement(region: string, dnsSuffix: string, logGroupArn: string): PolicyStatement {
  return {
    Sid: "CloudWatchLogsEncryptsThisLogGroup",
    Effect: "Allow",
    Principal: { Service: `logs.${region}.${dnsSuffix}` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
  };
}
