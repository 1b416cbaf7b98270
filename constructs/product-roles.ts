import { Construct } from "constructs";
import { IrsaRole, OidcProvider } from "./irsa-role";
import { PolicyDocument, PolicyStatement, policyDocument } from "./iam-document";
import { DATA_PREFIXES, PIPELINE_PREFIX } from "./data-bucket";

export interface ProductServiceAccounts {
  readonly gateway: string;
  readonly dashboard: string;
  readonly operator: string;
  readonly worker: string;
}

export interface ProductRoleNames {
  readonly gateway: string;
  readonly dashboard: string;
  readonly operator: string;
}

export interface ProductRolesProps {
  readonly oidcProvider: OidcProvider;
  /** Role names from config/naming.ts `roleName(env, ...)`: the Helm stack rebuilds the ARNs from them. */
  readonly roleNames: ProductRoleNames;
  /** Namespace of the product release. @default "layer" */
  readonly namespace?: string;
  /** @default the product chart's names: layer-gateway, layer-dashboard, layer-operator, layer-worker */
  readonly serviceAccounts?: ProductServiceAccounts;
  readonly bucketArn: string;
  /** The data bucket's KMS key. */
  readonly bucketKeyArn: string;
  /** The ECR repository of customer pipeline functions. */
  readonly functionsRepositoryArn: string;
}

const DEFAULT_SERVICE_ACCOUNTS: ProductServiceAccounts = {
  gateway: "layer-gateway",
  dashboard: "layer-dashboard",
  operator: "layer-operator",
  worker: "layer-worker",
};

/**
 * The product's IRSA roles (IAM-02..04, IAM-12, IAM-13): the gateway reads and
 * writes its data prefixes, the dashboard reads cost and metrics, and the
 * operator with its pipeline workers uses the pipeline prefix and pulls
 * function images.
 */
export class ProductRoles extends Construct {
  readonly gateway: IrsaRole;
  readonly dashboard: IrsaRole;
  readonly operator: IrsaRole;

  constructor(scope: Construct, id: string, props: ProductRolesProps) {
    super(scope, id);
    const namespace = props.namespace ?? "layer";
    const sa = props.serviceAccounts ?? DEFAULT_SERVICE_ACCOUNTS;
    this.gateway = new IrsaRole(this, "gateway", {
      roleName: props.roleNames.gateway,
      description: "hev layer gateway: snapshots, search history and clickstream in the data bucket",
      oidcProvider: props.oidcProvider,
      serviceAccounts: [{ namespace, name: sa.gateway }],
      policies: { data: gatewayDataPolicy(props.bucketArn, props.bucketKeyArn) },
    });
    this.dashboard = new IrsaRole(this, "dashboard", {
      roleName: props.roleNames.dashboard,
      description: "hev layer dashboard: read-only cost, pricing and metrics",
      oidcProvider: props.oidcProvider,
      serviceAccounts: [{ namespace, name: sa.dashboard }],
      policies: { cost_read: DASHBOARD_COST_READ_POLICY },
    });
    this.operator = new IrsaRole(this, "operator", {
      roleName: props.roleNames.operator,
      description: "hev layer operator and pipeline workers: pipeline chunk bodies and function images",
      oidcProvider: props.oidcProvider,
      serviceAccounts: [
        { namespace, name: sa.operator },
        { namespace, name: sa.worker },
      ],
      policies: { pipelines: operatorPipelinePolicy(props.bucketArn, props.bucketKeyArn, props.functionsRepositoryArn) },
    });
  }
}

const OBJECT_READ_WRITE = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];
/** SSE-KMS with a bucket key: reads need Decrypt, writes GenerateDataKey. */
const BUCKET_KEY_USE = ["kms:Decrypt", "kms:GenerateDataKey"];

function prefixStatements(sid: string, bucketArn: string, keyArn: string, prefixes: readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: `${sid}Objects`,
      Effect: "Allow",
      Action: OBJECT_READ_WRITE,
      Resource: prefixes.map((p) => `${bucketArn}/${p}*`),
    },
    {
      Sid: `${sid}List`,
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn,
      Condition: { StringLike: { "s3:prefix": prefixes.flatMap((p) => [p, `${p}*`]) } },
    },
    {
      Sid: "DataBucketKey",
      Effect: "Allow",
      Action: BUCKET_KEY_USE,
      Resource: keyArn,
    },
  ];
}

/** IAM-12: object access only under the gateway's prefixes, list only on the bucket, the bucket key only. */
export function gatewayDataPolicy(bucketArn: string, keyArn: string): PolicyDocument {
  return policyDocument(...prefixStatements("GatewayData", bucketArn, keyArn, Object.values(DATA_PREFIXES)));
}

/**
 * IAM-13: exactly the read actions the cost dashboard calls. None of them
 * supports resource-level permissions, hence "*"; `ce:*` would include
 * writes (cost categories, anomaly monitors).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscostexplorerservice.html
 */
export const DASHBOARD_COST_READ_POLICY: PolicyDocument = policyDocument({
  Sid: "CostAndMetricsRead",
  Effect: "Allow",
  Action: [
    "ce:GetCostAndUsage",
    "ce:GetCostForecast",
    "ce:GetDimensionValues",
    "ce:GetTags",
    "pricing:GetProducts",
    "pricing:DescribeServices",
    "pricing:GetAttributeValues",
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
  ],
  Resource: "*",
});

/**
 * Pipeline stages hand chunk bodies to each other under `pipelines/` and run
 * customer functions from the functions repository. `ecr:GetAuthorizationToken`
 * cannot be scoped to a repository (IAM-08 allows it on "*").
 */
export function operatorPipelinePolicy(bucketArn: string, keyArn: string, functionsRepositoryArn: string): PolicyDocument {
  return policyDocument(
    ...prefixStatements("PipelineChunks", bucketArn, keyArn, [PIPELINE_PREFIX]),
    {
      Sid: "PullFunctionImages",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      Resource: functionsRepositoryArn,
    },
    {
      Sid: "RegistryLogin",
      Effect: "Allow",
      Action: "ecr:GetAuthorizationToken",
      Resource: "*",
    },
  );
}
