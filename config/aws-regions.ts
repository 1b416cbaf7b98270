/**
 * AWS regions an environment may name, by partition. A list, not a pattern:
 * `eu-cnetral-1` has the shape of a region and is none. Taken from the region
 * table of aws-cdk-lib 2.276.0 (`region-info`, AWS_REGIONS_AND_RULES) without
 * the isolated and sovereign partitions this project has no endpoints for;
 * test/config/aws-regions.test.ts compares the two when aws-cdk-lib is installed.
 */
export const AWS_REGIONS = [
  // aws
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "me-west-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  // aws-us-gov
  "us-gov-east-1",
  "us-gov-west-1",
  // aws-cn
  "cn-north-1",
  "cn-northwest-1",
] as const;
