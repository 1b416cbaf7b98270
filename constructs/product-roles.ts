import { Construct } from "constructs";
import { IrsaRole, OidcProvider } from "./irsa-role";
import { PolicyDocument, PolicyStatement, policyDocument } from "./iam-document";
import { PIPELINE_PREFIX } from "./data-bucket";
import { gatewayAccess } from "../config/gateway-access";

/** The service accounts the product chart renders (serviceaccount.yaml, operator-serviceaccount.yaml). */
export interface ProductServiceAccounts {
  readonly gateway: string;
  readonly dashboard: string;
  readonly operator: string;
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
  /** @default the product chart's defaults: layer (gateway), layer-dashboard, layer-operator */
  readonly serviceAccounts?: ProductServiceAccounts;
  readonly bucketArn: string;
  /** The data bucket's KMS key, used only through S3 (`kms:ViaService`). */
  readonly bucketKeyArn: string;
  /** Region of the bucket: the key is usable only through `s3.<region>.<dnsSuffix>`. */
  readonly region: string;
  /** @default "amazonaws.com" */
  readonly dnsSuffix?: string;
  /** Data-bucket prefixes of the gateway's service account. @default those of the chart's default values (config/gateway-access.ts) */
  readonly gatewayPrefixes?: readonly string[];
  /** The gateway's cost API reads Cost Explorer (`gateway.cost.costExplorerEnabled`). @default true */
  readonly gatewayCostExplorer?: boolean;
  /** The ECR repository of customer pipeline functions. */
  readonly functionsRepositoryArn: string;
}

/** The chart's own defaults (values.yaml `serviceAccount.name`, `dashboard.serviceAccount.name`, `operator.serviceAccount.name`). */
const DEFAULT_SERVICE_ACCOUNTS: ProductServiceAccounts = {
  gateway: "layer",
  dashboard: "layer-dashboard",
  operator: "layer-operator",
};

/**
 * The product's IRSA roles (IAM-02..04, IAM-12, IAM-13), each trusting exactly
 * one service account the chart renders: the gateway (with the document
 * cache, hev search and the metrics backup under the same account) reads and
 * writes its data prefixes and reads Cost Explorer, the dashboard reads cost
 * and metrics, and the operator uses the pipeline prefix and pulls function
 * images.
 */
export class ProductRoles extends Construct {
  readonly gateway: IrsaRole;
  readonly dashboard: IrsaRole;
  readonly operator: IrsaRole;

  constructor(scope: Construct, id: string, props: ProductRolesProps) {
    super(scope, id);
    const namespace = props.namespace ?? "layer";
    const sa = props.serviceAccounts ?? DEFAULT_SERVICE_ACCOUNTS;
    const keyUse: BucketKeyUse = { keyArn: props.bucketKeyArn, region: props.region, dnsSuffix: props.dnsSuffix ?? "amazonaws.com" };
    this.gateway = new IrsaRole(this, "gateway", {
      roleName: props.roleNames.gateway,
      description: "hev layer gateway, document cache and metrics backup: their data-bucket prefixes and Cost Explorer",
      oidcProvider: props.oidcProvider,
      serviceAccounts: [{ namespace, name: sa.gateway }],
      policies: {
        data: gatewayDataPolicy(props.bucketArn, keyUse, props.gatewayPrefixes ?? gatewayAccess({}).prefixes),
        ...((props.gatewayCostExplorer ?? true) ? { cost_explorer: GATEWAY_COST_EXPLORER_POLICY } : {}),
      },
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
      description: "hev layer operator: pipeline chunk bodies and function images",
      oidcProvider: props.oidcProvider,
      serviceAccounts: [{ namespace, name: sa.operator }],
      policies: { pipelines: operatorPipelinePolicy(props.bucketArn, keyUse, props.functionsRepositoryArn) },
    });
  }
}

/** Multipart uploads (snapshots, vmbackup) are covered by PutObject; a failed one is cleaned up with AbortMultipartUpload. */
const OBJECT_READ_WRITE = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];
/** SSE-KMS with a bucket key: reads need Decrypt, writes GenerateDataKey. */
const BUCKET_KEY_USE = ["kms:Decrypt", "kms:GenerateDataKey"];

/** The bucket key, and where it may be used from. */
export interface BucketKeyUse {
  readonly keyArn: string;
  readonly region: string;
  readonly dnsSuffix: string;
}

function prefixStatements(sid: string, bucketArn: string, key: BucketKeyUse, prefixes: readonly string[]): PolicyStatement[] {
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
      Resource: key.keyArn,
      // Only S3 may use the key on the role's behalf: no direct Decrypt of other ciphertexts.
      // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
      Condition: { StringEquals: { "kms:ViaService": `s3.${key.region}.${key.dnsSuffix}` } },
    },
  ];
}

/** IAM-12: object access only under the gateway's prefixes, list only on the bucket, the bucket key only through S3. */
export function gatewayDataPolicy(bucketArn: string, key: BucketKeyUse, prefixes: readonly string[] = gatewayAccess({}).prefixes): PolicyDocument {
  return policyDocument(...prefixStatements("GatewayData", bucketArn, key, prefixes));
}

/**
 * The gateway's cost API: one tag-filtered Cost Explorer query
 * (`gateway.cost.tagKey` / `tagValue`). GetCostAndUsage has no resource-level
 * permissions, hence "*".
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscostexplorerservice.html
 */
export const GATEWAY_COST_EXPLORER_POLICY: PolicyDocument = policyDocument({
  Sid: "CostExplorerRead",
  Effect: "Allow",
  Action: "ce:GetCostAndUsage",
  Resource: "*",
});

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
export function operatorPipelinePolicy(bucketArn: string, key: BucketKeyUse, functionsRepositoryArn: string): PolicyDocument {
  return policyDocument(
    ...prefixStatements("PipelineChunks", bucketArn, key, [PIPELINE_PREFIX]),
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
