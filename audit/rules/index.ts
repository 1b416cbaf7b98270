import type { Rule } from "../types";
import { S3_RULES } from "./s3";
import { LIFECYCLE_RULES } from "./lifecycle";
import { IAM_TRUST_RULES } from "./iam-trust";
import { IAM_PERMISSION_RULES } from "./iam";
import { IAM_LINT_RULES } from "./iam-lint";
import { ECR_RULES } from "./ecr";
import { EKS_RULES } from "./eks";
import { KARPENTER_RULES } from "./karpenter";
import { NETWORK_RULES } from "./network";
import { EFS_RULES } from "./efs";
import { KMS_RULES } from "./kms";
import { CLOUDWATCH_RULES } from "./cloudwatch";
import { EDGE_RULES } from "./edge";
import { TERRAFORM_RULES } from "./terraform-backend";
import { SECRET_RULES } from "./secrets";
import { CHART_RULES } from "./charts";
import { PLACEMENT_RULES } from "./placement";
import { ADDON_RULES } from "./addons";

/** Every rule, in security-bar order. */
export const RULES: readonly Rule[] = [
  ...S3_RULES,
  ...LIFECYCLE_RULES,
  ...IAM_TRUST_RULES,
  ...IAM_PERMISSION_RULES,
  ...IAM_LINT_RULES,
  ...ECR_RULES,
  ...EKS_RULES,
  ...KARPENTER_RULES,
  ...NETWORK_RULES,
  ...EFS_RULES,
  ...KMS_RULES,
  ...CLOUDWATCH_RULES,
  ...EDGE_RULES,
  ...TERRAFORM_RULES,
  ...SECRET_RULES,
  ...CHART_RULES,
  ...PLACEMENT_RULES,
  ...ADDON_RULES,
];
