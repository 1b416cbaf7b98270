/**
 * The price table the cost review uses: us-east-1 On-Demand list prices (USD),
 * Linux, standard EKS support. Every line names its source page and the date
 * the table was compiled; re-check against the source when updating. Other
 * regions are estimates: us-east-1 × REGION_FACTORS (see `regionFactor`).
 *
 * Nothing here is fetched at run time: the review is offline and repeatable.
 */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly what: string;
  readonly source: string;
  /** When this line was compiled (YYYY-MM-DD). */
  readonly checked: string;
  /** The list price is the same in every commercial region: no regional factor applies. */
  readonly sameInEveryRegion?: boolean;
}

export const PRICE_TABLE_REGION = "us-east-1";
export const PRICE_TABLE_DATE = "2026-11-22";

/** AWS bills per hour; the Price List API and the Pricing Calculator use 730 hours a month. */
export const HOURS_PER_MONTH = 730;

const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const VPC = "https://aws.amazon.com/vpc/pricing/";
const D = PRICE_TABLE_DATE;

export const PRICES = {
  eksClusterHour: {
    usd: 0.1,
    unit: "cluster-hour",
    what: "EKS control plane, standard support",
    source: "https://aws.amazon.com/eks/pricing/",
    checked: D,
    sameInEveryRegion: true,
  },
  albHour: { usd: 0.0225, unit: "ALB-hour", what: "Application Load Balancer", source: "https://aws.amazon.com/elasticloadbalancing/pricing/", checked: D },
  albLcuHour: {
    usd: 0.008,
    unit: "LCU-hour",
    what: "ALB load balancer capacity unit",
    source: "https://aws.amazon.com/elasticloadbalancing/pricing/",
    checked: D,
  },
  natGatewayHour: { usd: 0.045, unit: "NAT-gateway-hour", what: "NAT gateway (data processing $0.045/GB not included)", source: VPC, checked: D },
  interfaceEndpointAzHour: {
    usd: 0.01,
    unit: "endpoint-AZ-hour",
    what: "Interface VPC endpoint, per AZ (data $0.01/GB not included)",
    source: "https://aws.amazon.com/privatelink/pricing/",
    checked: D,
  },
  publicIpv4Hour: { usd: 0.005, unit: "address-hour", what: "Public IPv4 address, in use or idle", source: VPC, checked: D, sameInEveryRegion: true },
  kmsKeyMonth: {
    usd: 1.0,
    unit: "key-month",
    what: "KMS customer managed key (each of the first two rotations adds $1/month)",
    source: "https://aws.amazon.com/kms/pricing/",
    checked: D,
    sameInEveryRegion: true,
  },
  s3StandardGbMonth: { usd: 0.023, unit: "GB-month", what: "S3 Standard storage, first 50 TB", source: "https://aws.amazon.com/s3/pricing/", checked: D },
  ecrGbMonth: { usd: 0.1, unit: "GB-month", what: "ECR private repository storage", source: "https://aws.amazon.com/ecr/pricing/", checked: D },
  efsStandardGbMonth: { usd: 0.3, unit: "GB-month", what: "EFS Standard storage", source: "https://aws.amazon.com/efs/pricing/", checked: D },
  ebsGp3GbMonth: {
    usd: 0.08,
    unit: "GB-month",
    what: "EBS gp3 volume (baseline 3,000 IOPS / 125 MB/s included)",
    source: "https://aws.amazon.com/ebs/pricing/",
    checked: D,
  },
  logsIngestGb: { usd: 0.5, unit: "GB ingested", what: "CloudWatch Logs standard ingestion", source: "https://aws.amazon.com/cloudwatch/pricing/", checked: D },
  logsStorageGbMonth: {
    usd: 0.03,
    unit: "GB-month",
    what: "CloudWatch Logs archived storage",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    checked: D,
  },
  secretMonth: { usd: 0.4, unit: "secret-month", what: "Secrets Manager secret", source: "https://aws.amazon.com/secrets-manager/pricing/", checked: D },
  hostedZoneMonth: { usd: 0.5, unit: "zone-month", what: "Route 53 hosted zone (first 25)", source: "https://aws.amazon.com/route53/pricing/", checked: D },
} as const satisfies Record<string, Price>;

/** On-Demand Linux instance-hours, by instance type. */
export const INSTANCE_HOUR_PRICES: Record<string, Price> = {
  "i4i.large": { usd: 0.172, unit: "instance-hour", what: "i4i.large (2 vCPU, 16 GiB, 468 GB NVMe)", source: EC2, checked: D },
  "i4i.xlarge": { usd: 0.343, unit: "instance-hour", what: "i4i.xlarge (4 vCPU, 32 GiB, 937 GB NVMe)", source: EC2, checked: D },
  "i4i.2xlarge": { usd: 0.686, unit: "instance-hour", what: "i4i.2xlarge (8 vCPU, 64 GiB, 1,875 GB NVMe)", source: EC2, checked: D },
  "m7i.large": { usd: 0.1008, unit: "instance-hour", what: "m7i.large (2 vCPU, 8 GiB)", source: EC2, checked: D },
  "m6i.large": { usd: 0.096, unit: "instance-hour", what: "m6i.large (2 vCPU, 8 GiB)", source: EC2, checked: D },
  "c7i.large": { usd: 0.08925, unit: "instance-hour", what: "c7i.large (2 vCPU, 4 GiB)", source: EC2, checked: D },
  "t3.medium": { usd: 0.0416, unit: "instance-hour", what: "t3.medium (2 vCPU, 4 GiB)", source: EC2, checked: D },
  "t3.large": { usd: 0.0832, unit: "instance-hour", what: "t3.large (2 vCPU, 8 GiB)", source: EC2, checked: D },
};

/**
 * Quantities the synthesized stacks cannot know: a baseline assumes an idle
 * environment with a little data. Each is shown on its cost line.
 */
export const NOMINAL = {
  /** Snapshots and history of a fresh install. */
  s3GbPerBucket: 1,
  ecrGbPerRepository: 1,
  efsGbPerFileSystem: 1,
  /** Control-plane (api, audit, authenticator) or flow logs of a quiet cluster. */
  logIngestGbPerGroupMonth: 5,
  /** Stored logs reach ingestion × retention; counted for at most this many months. */
  logStorageMaxMonths: 12,
  /** An idle ALB is billed at least for the LCU-hours it uses; one is a floor, not a forecast. */
  albLcus: 1,
} as const;

/**
 * Regions priced here other than us-east-1 are estimates: us-east-1 × a
 * factor, except for prices marked `sameInEveryRegion`. EC2, NAT and ELB list prices in the other commercial regions are
 * typically 0-20% above us-east-1 (the EKS fee is the same everywhere), so
 * 1.10 is used unless a region is listed.
 */
export const DEFAULT_REGION_FACTOR = 1.1;
export const REGION_FACTORS: Record<string, number> = {
  "us-east-1": 1.0,
  "us-east-2": 1.0,
  "us-west-2": 1.0,
  "eu-west-1": 1.1,
  "eu-central-1": 1.15,
};

export function regionFactor(region: string | null): { factor: number; estimate: boolean } {
  if (region === PRICE_TABLE_REGION) return { factor: 1, estimate: false };
  return { factor: (region ? REGION_FACTORS[region] : undefined) ?? DEFAULT_REGION_FACTOR, estimate: true };
}
