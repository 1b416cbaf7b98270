/**
 * The environment file contract: `environments/<name>.yaml`.
 *
 * Every setting has a default taken from hev layer's install guide unless it
 * is something only the operator can know (account id, region, zones).
 * `scripts/write-json-schema.ts` turns this schema into
 * `environments/schema.json` so editors autocomplete the YAML files.
 */
import { z } from "zod";
import { SUPPORTED_KUBERNETES_VERSIONS, DEFAULT_KUBERNETES_VERSION } from "./kubernetes-versions";
import { chartVersion, instanceType, namespaceName, region, serviceAccountName } from "./fields";
import { EXTERNAL_DNS_DEFAULTS } from "../addons/external-dns/defaults";
import { KarpenterSchema, KedaSchema, LoadBalancerControllerSchema, EfsSchema } from "./addon-schema";

export { KARPENTER_BUDGET_NODES } from "./fields";

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;

export const cidr = z.string().regex(IPV4_CIDR, { error: "expected an IPv4 CIDR block such as 10.0.0.0/16" });

const awsAccountId = z
  .string({ error: 'expected a 12-digit AWS account id in quotes, e.g. "123456789012"' })
  .regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account id, e.g. "123456789012"' });

const iamPrincipalArn = z.string().regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@\/-]+$/, {
  error: "expected an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin",
});

const addonVersion = z
  .string()
  .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, {
    error: "expected an EKS add-on version such as v1.19.2-eksbuild.1",
  })
  .optional()
  .describe("Pinned add-on version; when omitted EKS installs its default version for the cluster's Kubernetes version.");

const tags = z.record(z.string().min(1).max(128), z.string().max(256));

export const BackendSchema = z
  .strictObject({
    s3: z
      .strictObject({
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
          error: "expected an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)",
        }),
        key: z
          .string()
          .optional()
          .describe(
            "State object key template; `{stack}` becomes each stack's name so the AWS and Helm stacks keep separate state. Default `layer/<env>/{stack}.tfstate`.",
          ),
        region: region.optional().describe("State bucket region; default the environment's region."),
        kmsKeyId: z.string().optional().describe("KMS key for state encryption; default the bucket's SSE setting."),
      })
      .optional(),
  })
  .describe("Terraform state. With `s3` set, state is encrypted and locked with an S3 lock file; without it, state stays in a project-relative local file.");

export const NetworkSchema = z
  .strictObject({
    vpcCidr: cidr.default("10.42.0.0/16"),
    workerSubnets: z
      .enum(["public", "private"])
      .default("public")
      .describe("Public worker subnets avoid NAT cost (install guide default); private puts nodes behind NAT."),
    natGateways: z.enum(["none", "single", "one-per-az"]).optional().describe("Default `none` for public worker subnets, `single` for private ones."),
    interfaceEndpoints: z
      .array(
        z.enum([
          "ecr.api",
          "ecr.dkr",
          "sts",
          "ec2",
          "logs",
          "ssm",
          "ssmmessages",
          "ec2messages",
          "elasticloadbalancing",
          "sqs",
          "eks",
          "eks-auth",
          "elasticfilesystem",
        ]),
      )
      .default([])
      .describe("Opt-in VPC interface endpoints (each costs per AZ-hour). The S3 gateway endpoint is always created."),
    flowLogs: z
      .strictObject({
        enabled: z.boolean().default(false),
        retentionDays: z.number().int().min(1).default(90),
      })
      .prefault({}),
  })
  .prefault({});

const SystemNodeGroupSchema = z
  .strictObject({
    instanceType: instanceType.default("i4i.large").describe("i4i.large: its NVMe is shared by the serving path and the document cache (install guide)."),
    minSize: z.number().int().min(1).default(1),
    desiredSize: z.number().int().min(1).default(1),
    maxSize: z.number().int().min(1).default(2),
    rootVolumeGiB: z.number().int().min(20).default(50),
    ssmAccess: z.boolean().default(true).describe("Attach AmazonSSMManagedInstanceCore so nodes are reachable without SSH."),
  })
  .prefault({});

const CLUSTER_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export const ClusterSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, { error: "expected a cluster name: letters, digits and hyphens, at most 100 characters" })
      .optional()
      .describe("Default `<prefix>-<env>`. In existing-cluster mode, the name of the cluster to install into (required)."),
    kubernetesVersion: z
      .string()
      .default(DEFAULT_KUBERNETES_VERSION)
      .describe(`One of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}.`),
    endpointPublicAccess: z
      .boolean()
      .default(false)
      .describe("Public API endpoint, limited to publicAccessCidrs. Off by default: the private endpoint is always on."),
    publicAccessCidrs: z
      .array(cidr)
      .default([])
      .describe(
        "Allowlist for the public API endpoint; required when it is on. Your fixed egress (office, NAT of a self-hosted or larger GitHub runner with static IPs): GitHub-hosted runners have no fixed egress.",
      ),
    privateAccessCidrs: z
      .array(cidr)
      .default([])
      .describe(
        "Networks allowed to reach the private API endpoint (HTTPS from these CIDRs into the cluster security group): a deploy runner's subnet in the VPC, or a peered/VPN network. fresh-cluster mode only.",
      ),
    adminPrincipalArns: z.array(iamPrincipalArn).default([]).describe("IAM principals given cluster admin through access entries."),
    logTypes: z.array(z.enum(CLUSTER_LOG_TYPES)).default(["api", "audit", "authenticator"]),
    logRetentionDays: z.number().int().min(1).default(90),
    addonVersions: z
      .strictObject({
        vpcCni: addonVersion,
        podIdentityAgent: addonVersion,
        coreDns: addonVersion,
        kubeProxy: addonVersion,
        efsCsiDriver: addonVersion,
      })
      .prefault({}),
    systemNodeGroup: SystemNodeGroupSchema,
  })
  .prefault({});

export const DnsSchema = z
  .strictObject({
    managePublicDns: z.boolean().default(false).describe("Install guide default: off; most installs bring their own DNS and TLS."),
    zoneName: z.string().optional().describe("Public hosted zone to create (or adopt with zoneId)."),
    zoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/)
      .optional()
      .describe("Adopt an existing public hosted zone by id. It must already be delegated from its parent: its certificate is issued on the first deploy."),
    zoneDelegated: z
      .boolean()
      .default(false)
      .describe(
        "A zone created here (no zoneId) gets the certificate, the HTTPS ingress and external-dns only once this is true. Deploy once with false, delegate the zone from its parent (NS records from output gateway_zone_name_servers), then set true and deploy again (docs/edge.md).",
      ),
    gatewayHost: z.string().optional().describe("Host name of the gateway ingress."),
    extraNames: z.array(z.string()).default([]),
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, { error: "expected an ACM certificate ARN" })
      .optional()
      .describe("An existing certificate, when DNS is not managed here."),
    externalDnsChartVersion: chartVersion.default(EXTERNAL_DNS_DEFAULTS.chartVersion),
  })
  .prefault({});

export const IngressSchema = z
  .strictObject({
    scheme: z
      .enum(["none", "internal", "internet-facing"])
      .optional()
      .describe("Default internet-facing when the gateway has a certificate (dns.managePublicDns or dns.certificateArn), otherwise none."),
    sslPolicy: z
      .string()
      .regex(/^ELBSecurityPolicy-TLS13-1-2-/, { error: "expected a TLS 1.3 policy such as ELBSecurityPolicy-TLS13-1-2-2021-06" })
      .default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    wafAclArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/, { error: "expected a regional WAFv2 web ACL ARN" })
      .optional(),
    accessLogs: z
      .strictObject({
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "expected an S3 bucket name" }),
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9!_.*'()\/-]*$/)
          .optional()
          .describe("Default alb/<env>."),
      })
      .optional()
      .describe("ALB access logs to an existing log bucket; required for an internet-facing ingress in a protected environment."),
  })
  .prefault({})
  .describe("The gateway's Ingress, served by the AWS Load Balancer Controller: HTTPS only, TLS 1.3.");

const ChartSourceSchema = z.union([
  z.strictObject({
    path: z
      .string()
      .min(1)
      .regex(/^(?![\\/]|[A-Za-z]:)/, { error: "expected a chart directory relative to the project root, not an absolute machine path" })
      .describe("Local chart directory, relative to the project root."),
  }),
  z.strictObject({
    repository: z.string().regex(/^oci:\/\/[^\s]+$/, { error: "expected an OCI repository such as oci://registry.example.com/hev" }),
    chart: z.string().min(1),
    version: chartVersion,
  }),
]);

/** A pinned image: a tag (never `latest`) or a digest, optionally from another repository. */
const ReleaseImageSchema = z
  .strictObject({
    tag: z
      .string()
      .regex(/^[\w][\w.-]{0,127}$/, { error: "expected an image tag such as 0.5.2" })
      .refine((t) => t !== "latest", { error: "expected a pinned tag or digest, not latest (nothing documented publishes a floating tag)" })
      .optional(),
    digest: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/, { error: "expected sha256:<64 hex digits>" })
      .optional(),
    repository: z
      .string()
      .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+$/, { error: "expected an image repository such as registry.example.com/hevlayer/layer-gateway-pro" })
      .optional()
      .describe("Default: this environment's ECR repository <prefix>-<env>/<image>, or <release.images.registry>/<image>."),
  })
  .describe("Pinned image: tag, digest or both (pushed as in docs/install.md).");

export const ReleaseSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    chart: ChartSourceSchema.optional().describe(
      "The product chart: a local directory holding Chart.yaml, or an OCI repository, chart and exact version. Default: oci://<account>.dkr.ecr.<region>.amazonaws.com/<prefix>-<env>, chart layer, version 0.1.0 (pushed with npm run artifacts).",
    ),
    namespace: namespaceName.default("layer"),
    images: z
      .strictObject({
        registry: z
          .string()
          .regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, { error: "expected a registry and optional namespace such as registry.example.com/hevlayer" })
          .optional()
          .describe("Pull every product image from <registry>/<image> instead of this environment's ECR repositories."),
        gateway: ReleaseImageSchema.optional(),
        operator: ReleaseImageSchema.optional().describe("Required while operator.enabled (values file) is true."),
        dashboard: ReleaseImageSchema.optional().describe("Required while dashboard.enabled (values file) is true."),
        search: ReleaseImageSchema.optional().describe("Required while search.enabled (values file) is true; needs repository or registry."),
      })
      .prefault({})
      .describe("Images of the release. Only the operator of the environment knows which version it runs, so each is required, pinned."),
    secrets: z
      .enum(["write-only", "secrets-manager"])
      .default("write-only")
      .describe(
        "write-only: each secret is an ephemeral TF_VAR_ variable passed with set_wo; secrets-manager: the Helm stack reads them from Secrets Manager (ephemeral) and passes them with set_wo.",
      ),
    license: z
      .boolean()
      .default(false)
      .describe(
        "A license token is supplied like the other secrets. false: no token (the gateway runs at its open floor), or license.existingSecret in the values file.",
      ),
    secretsRevision: z.number().int().min(1).default(1).describe("Bump to push rotated secret values (it is added to set_wo_revision)."),
    serviceAccounts: z
      .strictObject({
        gateway: serviceAccountName.default("layer-gateway"),
        dashboard: serviceAccountName.default("layer-dashboard"),
        operator: serviceAccountName.default("layer-operator"),
        worker: serviceAccountName.default("layer-worker"),
      })
      .prefault({}),
    acknowledgeOpenAuth: z.boolean().default(false).describe("Allow inboundAuth.mode=open in a protected environment."),
  })
  .prefault({});

/** AWS resources a helm-only environment brings itself. */
export const ExternalAwsSchema = z.strictObject({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "expected an S3 bucket name" }),
  gatewayRoleArn: iamPrincipalArn,
  dashboardRoleArn: iamPrincipalArn.optional(),
  operatorRoleArn: iamPrincipalArn.optional(),
  gatewayImageRepository: z.string().regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+$/, {
    error: "expected an image repository such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-gateway",
  }),
  clusterName: z.string().min(1),
});

export const DataBucketSchema = z
  .strictObject({
    searchHistoryRetentionDays: z.number().int().min(1).default(90),
    clickstreamRetentionDays: z.number().int().min(1).default(30),
    noncurrentVersionRetentionDays: z.number().int().min(1).default(30),
  })
  .prefault({});

export const ImageRegistrySchema = z
  .strictObject({
    untaggedExpiryDays: z.number().int().min(1).default(7),
    maxImageCount: z.number().int().min(1).default(100),
  })
  .prefault({});

export const ModeSchema = z.enum(["fresh-cluster", "existing-cluster", "helm-only"]);

export const EnvironmentFileSchema = z.strictObject({
  accountId: awsAccountId,
  region,
  availabilityZones: z.array(z.string()).min(2, { error: "expected at least 2 availability zones" }),
  mode: ModeSchema.default("fresh-cluster"),
  prefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,11}$/, { error: "expected 1-12 lowercase letters, digits or hyphens, starting with a letter" })
    .default("layer"),
  protected: z.boolean().default(false).describe("Turns on destroy guards (prevent_destroy, deletion protection)."),
  tags: tags.default({}),
  deployPrincipalArn: iamPrincipalArn
    .optional()
    .describe(
      "The IAM role (or user) that runs `cdktf deploy` for this environment: CI's deploy role (LAYER_DEPLOY_ROLE_ARN) or your own role. It gets cluster admin through an EKS access entry so the Helm stack can reach the Kubernetes API. A fresh cluster needs it or cluster.adminPrincipalArns. helm-only mode creates nothing for it (give it access to your cluster yourself).",
    ),
  backend: BackendSchema.prefault({}),
  dataBucket: DataBucketSchema,
  imageRegistry: ImageRegistrySchema,
  network: NetworkSchema,
  cluster: ClusterSchema,
  karpenter: KarpenterSchema,
  loadBalancerController: LoadBalancerControllerSchema,
  efs: EfsSchema,
  dns: DnsSchema,
  ingress: IngressSchema,
  keda: KedaSchema,
  release: ReleaseSchema,
  externalAws: ExternalAwsSchema.optional().describe("helm-only mode: the AWS resources this environment brings."),
});

export type EnvironmentFile = z.infer<typeof EnvironmentFileSchema>;
