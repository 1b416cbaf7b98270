/**
 * What `helm-values/<env>.yaml` may hold: the non-secret, non-wired keys of
 * hev layer's own chart (`infra/helm/layer` 0.1.0, shipped with v0.5.2).
 * Every key below is a key of the chart's `values.yaml` with the chart's own
 * shape; objects are strict, so a key the chart does not have is an error
 * instead of a value Helm ignores. Defaults are the chart's unless the
 * description says otherwise: keys that are not set here are not emitted,
 * so Helm applies the chart's default.
 */
import { z } from "zod";
import { NODE_ROLES } from "../node-roles";

/** Turbopuffer's AWS us-east-1 API (https://hevlayer.com/docs/kubernetes/vectorstore-crd). */
export const DEFAULT_VECTOR_STORE_URL = "https://aws-us-east-1.turbopuffer.com";
/** Turbopuffer's label for that region (operator-visible, not an AWS region code). */
export const DEFAULT_VECTOR_STORE_REGION = "aws-us-east-1";
export const INBOUND_SCOPES = ["read", "write", "admin"] as const;
/** Scopes the operator's workers, KEDA and the dashboard need from the worker key (install guide example). */
export const WORKER_SCOPES = ["read", "write"] as const;
/** The release Secret key the chart keeps the worker key under when workerSecretKey is blank. */
export const DEFAULT_WORKER_SECRET_KEY = "layer-inbound-worker-api-key";
/** The release name: the chart's fullname and release Secret are `layer` with it. */
export const RELEASE_NAME = "layer";

const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "expected a Kubernetes name: lowercase letters, digits and hyphens" })
  .max(63);
const keyName = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: "expected a key name: 1-31 lowercase letters, digits or hyphens, starting with a letter" });
const secretDataKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: "expected a Secret data key" });
const quantity = z.string().regex(/^\d+(\.\d+)?([KMGTPE]i?|[mk])?$/, { error: "expected a Kubernetes quantity such as 10Gi" });
const absolutePath = z.string().regex(/^\/[^\s]*$/, { error: "expected an absolute host path" });
const hostName = z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, { error: "expected a DNS host name" });
/** A container image, pinned: a tag other than `latest`, or a digest. */
export const pinnedImage = z
  .string()
  .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$|^[a-z0-9._\/-]+(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/, {
    error: "expected an image reference such as registry.example.com/aerospike/aerospike-server:8.0.0.8",
  })
  .refine((ref) => /@sha256:/.test(ref) || /:[\w][\w.-]*$/.test(ref.split("/").pop()!), {
    error: "expected a pinned tag or digest (an image without one floats)",
  })
  .refine((ref) => !/:latest(@|$)/.test(ref), { error: "expected a pinned tag or digest, not latest" });

const SecretRefSchema = z
  .strictObject({ name: k8sName.describe("An existing Secret in the release namespace."), key: secretDataKey })
  .describe("A key of an existing Kubernetes Secret (created outside this project, e.g. by External Secrets).");

const InboundKeySchema = z.strictObject({
  name: keyName,
  scopes: z.array(z.enum(INBOUND_SCOPES)).min(1, { error: "expected at least one scope of read, write, admin" }),
  secretRef: SecretRefSchema.optional().describe("An existing Secret holding this key; without it the key is supplied at deploy time."),
});

export const VectorStoreSchema = z
  .strictObject({
    endpoint: z
      .strictObject({
        url: z
          .string()
          .regex(/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s]*)?$/, { error: "expected an https:// API base URL such as https://aws-us-east-1.turbopuffer.com" })
          .default(DEFAULT_VECTOR_STORE_URL),
        region: z
          .string()
          .regex(/^[a-z0-9-]+$/, { error: "expected a region label such as aws-us-east-1" })
          .default(DEFAULT_VECTOR_STORE_REGION)
          .describe("The vector store's own region label (Turbopuffer: aws-us-east-1, gcp-us-central1...); must agree with the URL."),
      })
      .prefault({}),
    turbopuffer: z.strictObject({ orgId: z.string().optional() }).optional().describe("Dashboard metadata only."),
    credential: z
      .strictObject({
        secretKey: secretDataKey
          .optional()
          .describe("The key in the release Secret the chart writes the upstream API key under (chart default turbopuffer-api-key)."),
      })
      .prefault({})
      .describe("The upstream API key is never written here: the chart requires it as a value, so it is supplied as a write-only value (docs/secrets.md)."),
    inboundAuth: z
      .strictObject({
        mode: z
          .enum(["deriveFromStore", "keys", "open"])
          .default("deriveFromStore")
          .describe("deriveFromStore: clients send the upstream key; keys: an independent scoped gateway key; open: no inbound auth."),
        keys: z
          .array(InboundKeySchema)
          .default([])
          .describe("keys mode: exactly one key (chart 0.1.0 cannot render more), the one operator workers, KEDA and the dashboard use."),
      })
      .prefault({}),
  })
  .prefault({});

const PersistenceSchema = z.strictObject({
  type: z.enum(["hostPath", "pvc"]).optional(),
  hostPath: absolutePath.optional(),
  storageClassName: z.string().optional(),
  size: quantity.optional(),
});

export const ValuesFileSchema = z.strictObject({
  priorityClasses: z.strictObject({ create: z.boolean().optional() }).optional(),
  gateway: z
    .strictObject({
      replicas: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe("Must stay 1 while gateway.queue.embedded is true (the queue's PostgreSQL is a sidecar of the one pod)."),
      queue: z.strictObject({ embedded: z.boolean().optional(), persistence: PersistenceSchema.optional() }).optional(),
      cost: z
        .strictObject({
          costExplorerEnabled: z.boolean().optional(),
          tagKey: z.string().min(1).optional().describe("Default hev.dev/environment, a tag every AWS resource of the environment carries."),
          tagValue: z.string().min(1).optional().describe("Default the environment name."),
          site: z.string().optional(),
          cacheTtlSeconds: z.number().int().min(0).optional(),
        })
        .optional(),
      indexNamespace: z.string().min(1).optional(),
      indexConfig: z.strictObject({ enabled: z.boolean() }).optional(),
      indexGc: z.strictObject({ enabled: z.boolean() }).optional(),
      consistency: z.strictObject({ stablePollIntervalMs: z.number().int().min(1000) }).optional(),
      shardCount: z.number().int().min(1).optional(),
      computeSpecAccess: z.strictObject({ enabled: z.boolean().optional(), mutate: z.boolean().optional() }).optional(),
    })
    .prefault({}),
  operator: z
    .strictObject({
      enabled: z.boolean().default(true).describe("Default true (the install guide installs the operator; the chart's own default is false)."),
      replicas: z.number().int().min(1).optional(),
      watchNamespace: z.string().optional(),
      maxReplicasCeiling: z.number().int().min(1).optional(),
      discovery: z
        .strictObject({
          enabled: z.boolean().optional(),
          intervalSeconds: z.number().int().min(1).optional(),
          pageSize: z.number().int().min(1).optional(),
          prefix: z.string().optional(),
          indexNamespace: z.string().min(1).optional(),
        })
        .optional(),
    })
    .prefault({}),
  dashboard: z
    .strictObject({
      enabled: z.boolean().default(true),
      replicas: z.number().int().min(1).optional(),
      basicAuth: z
        .strictObject({
          user: z
            .string()
            .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: "expected a user name" })
            .default("admin"),
        })
        .prefault({})
        .describe("The password is a secret: supplied at deploy time, never here."),
      kubeAccess: z.strictObject({ enabled: z.boolean() }).optional(),
      writeAccess: z.strictObject({ enabled: z.boolean() }).optional(),
      ingress: z.strictObject({ enabled: z.boolean().optional(), host: hostName.optional() }).optional(),
    })
    .prefault({}),
  documentCache: z
    .strictObject({
      enabled: z.boolean().optional(),
      image: pinnedImage.optional().describe("Chart default aerospike/aerospike-server:latest; pin it for repeatable installs."),
      nodeRole: z
        .enum([NODE_ROLES.system, NODE_ROLES.documentCache])
        .optional()
        .describe("Default system, or document-cache when karpenter.documentCache.enabled creates that pool."),
      autoRestartOnStopWrites: z.boolean().optional(),
      storage: z
        .strictObject({
          hostPath: absolutePath.optional(),
          pvc: z.strictObject({ enabled: z.boolean().optional(), size: quantity.optional(), storageClass: z.string().optional() }).optional(),
          fileSize: z
            .string()
            .regex(/^\d+[KMGT]$/, { error: "expected an Aerospike size such as 64G" })
            .optional(),
          resetOnStart: z.boolean().optional(),
        })
        .optional(),
      resources: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()]))).optional(),
    })
    .prefault({}),
  localStorage: z
    .strictObject({
      enabled: z.boolean().optional(),
      storageClassName: k8sName.optional(),
      defaultClass: z.boolean().optional(),
      rootPath: absolutePath.optional(),
    })
    .optional(),
  metrics: z
    .strictObject({
      enabled: z.boolean().optional(),
      embedded: z.boolean().optional(),
      retentionPeriod: z
        .string()
        .regex(/^\d+[hdwy]$/, { error: "expected a retention such as 7d" })
        .optional(),
      scrapeIntervalSeconds: z.number().int().min(1).optional(),
      storage: z.strictObject({ storageClassName: z.string().optional(), size: quantity.optional(), hostPath: absolutePath.optional() }).optional(),
      backup: z
        .strictObject({
          enabled: z.boolean().optional(),
          s3Prefix: z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]*$/, { error: "expected an S3 key prefix without slashes" })
            .optional(),
          intervalHours: z.number().int().min(1).optional(),
        })
        .optional(),
      externalEndpoint: z
        .string()
        .regex(/^https?:\/\/\S+$/, { error: "expected a Prometheus URL" })
        .optional(),
    })
    .optional(),
  search: z
    .strictObject({
      enabled: z.boolean().default(false).describe("The in-chart hev search engine; its image comes from release.images.search."),
      replicas: z.number().int().min(1).optional(),
      storage: z.strictObject({ s3Prefix: z.string().min(1).optional() }).optional(),
      objectCache: z
        .strictObject({ enabled: z.boolean().optional(), hostPath: absolutePath.optional(), bytes: z.string().regex(/^\d+$/).optional() })
        .optional(),
    })
    .prefault({}),
  license: z
    .strictObject({
      existingSecret: k8sName.optional().describe("An existing Secret with the license token; otherwise release.license supplies it at deploy time."),
      secretKey: secretDataKey.optional(),
    })
    .optional(),
  vectorStore: VectorStoreSchema.describe("The default upstream store (VectorStore turbopuffer-default)."),
  ingress: z
    .strictObject({ host: hostName.optional().describe("Defaults to dns.gatewayHost of the environment file.") })
    .prefault({})
    .describe("The gateway's Ingress: the chart renders it (internet-facing ALB) when the environment has an ingress."),
  rbac: z
    .strictObject({
      keyRoleBindings: z
        .strictObject({
          admin: z
            .array(z.strictObject({ kind: z.enum(["User", "Group", "ServiceAccount"]), name: z.string().min(1), namespace: z.string().optional() }))
            .optional(),
          viewer: z
            .array(z.strictObject({ kind: z.enum(["User", "Group", "ServiceAccount"]), name: z.string().min(1), namespace: z.string().optional() }))
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

export type ValuesFile = z.infer<typeof ValuesFileSchema>;
export type VectorStoreValues = z.infer<typeof VectorStoreSchema>;
