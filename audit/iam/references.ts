/**
 * `${type.name.attr}` references inside policy documents. For evaluation a
 * reference becomes the literal ARN or name when the referenced resource
 * has a literal name; otherwise it stays an opaque token. For ARN-type
 * checks and size limits it becomes an ARN of the referenced resource type.
 */
import type { AuditContext, AuditEnvironment } from "../types";

const REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g;

/**
 * Longest realistic names (AWS limits), used when sizing a document
 * pessimistically: role and policy names 64/128, bucket 63, queue 80,
 * cluster 100, repository 256, secret 512.
 */
const MAX_NAME: Record<string, number> = {
  aws_iam_role: 64,
  aws_iam_policy: 128,
  aws_s3_bucket: 63,
  aws_sqs_queue: 80,
  aws_eks_cluster: 100,
  aws_ecr_repository: 256,
  aws_secretsmanager_secret: 512,
  aws_route53_zone: 32,
};

/** The longest partition and region names, for pessimistic sizing. */
const LONG_PARTITION = "aws-iso-b";
const LONG_REGION = "ap-southeast-7";
/** An unknown attribute of an unknown type is sized as a 256-character string. */
const UNKNOWN_LENGTH = 256;

export type Mode = "literal" | "sample" | "size";

function arnFor(type: string, name: string, env: AuditEnvironment, partition: string, region: string): string | undefined {
  const a = env.accountId;
  switch (type) {
    case "aws_s3_bucket":
      return `arn:${partition}:s3:::${name}`;
    case "aws_iam_role":
      return `arn:${partition}:iam::${a}:role/${name}`;
    case "aws_iam_policy":
      return `arn:${partition}:iam::${a}:policy/${name}`;
    case "aws_sqs_queue":
      return `arn:${partition}:sqs:${region}:${a}:${name}`;
    case "aws_eks_cluster":
      return `arn:${partition}:eks:${region}:${a}:cluster/${name}`;
    case "aws_ecr_repository":
      return `arn:${partition}:ecr:${region}:${a}:repository/${name}`;
    case "aws_secretsmanager_secret":
      return `arn:${partition}:secretsmanager:${region}:${a}:secret:${name}-AbCdEf`;
    case "aws_route53_zone":
      return `arn:${partition}:route53:::hostedzone/${name}`;
    case "aws_kms_key":
      return `arn:${partition}:kms:${region}:${a}:key/${name}`;
    case "aws_efs_file_system":
      return `arn:${partition}:elasticfilesystem:${region}:${a}:file-system/${name}`;
    case "aws_iam_openid_connect_provider":
      return `arn:${partition}:iam::${a}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/${name}`;
    case "aws_acm_certificate":
      return `arn:${partition}:acm:${region}:${a}:certificate/${name}`;
    case "aws_iam_instance_profile":
      return `arn:${partition}:iam::${a}:instance-profile/${name}`;
    case "aws_sns_topic":
      return `arn:${partition}:sns:${region}:${a}:${name}`;
    default:
      return undefined;
  }
}

/** A stand-in identifier for resources whose id AWS generates (KMS key id, file system id). */
const GENERATED_ID: Record<string, string> = {
  aws_kms_key: "00000000-0000-0000-0000-000000000000",
  aws_efs_file_system: "fs-0123456789abcdef0",
  aws_iam_openid_connect_provider: "0123456789ABCDEF0123456789ABCDEF",
  aws_acm_certificate: "00000000-0000-0000-0000-000000000000",
  aws_route53_zone: "Z0123456789ABCDEFGHIJ",
};

export function substituteReferences(ctx: AuditContext, text: string, mode: Mode): string {
  return text.replace(REFERENCE, (whole, type: string, name: string, attribute: string) => {
    const target = ctx.resources(type).find((r) => r.name === name);
    const literalName =
      typeof target?.body.name === "string" && !target.body.name.includes("${")
        ? target.body.name
        : typeof target?.body.bucket === "string" && !target.body.bucket.includes("${")
          ? target.body.bucket
          : undefined;
    const partition = mode === "size" ? LONG_PARTITION : ctx.env.partition;
    const region = mode === "size" ? LONG_REGION : ctx.env.region;
    const name_ = literalName ?? GENERATED_ID[type] ?? (mode === "literal" ? undefined : "x".repeat(MAX_NAME[type] ?? 64));
    if (attribute === "arn") {
      if (mode === "literal" && literalName === undefined) return whole;
      const arn = name_ !== undefined ? arnFor(type, name_, ctx.env, partition, region) : undefined;
      if (arn) return arn;
      return mode === "size" ? "x".repeat(UNKNOWN_LENGTH) : whole;
    }
    if (["name", "id", "bucket"].includes(attribute) && literalName !== undefined && type !== "aws_kms_key") return literalName;
    return mode === "size" ? "x".repeat(UNKNOWN_LENGTH) : whole;
  });
}
