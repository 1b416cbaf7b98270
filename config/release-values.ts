/**
 * The values contract of hev layer's own chart (release `layer`).
 *
 * Three sources, merged in this order (later wins, but a later source may
 * never silently override an earlier one):
 *   1. the chart's own defaults (Helm applies them; not repeated here),
 *   2. `helm-values/<env>.yaml`: the environment's non-secret chart values,
 *      validated by `ValuesFileSchema` and the rules below,
 *   3. values wired from AWS: bucket, IRSA role ARNs, gateway image (rebuilt
 *      from config/naming.ts, from `externalAws` in helm-only mode, or from a
 *      `cdktf output` file for `npm run values`). Setting one of these in the
 *      values file is an error that says where the value comes from.
 *
 * Secrets never pass through here: values files refuse them, and the release
 * receives them as write-only values or references to existing Secrets (see
 * `releaseSecrets` and docs/secrets.md).
 *
 * Where the install guide does not fix a key's exact shape, the shape chosen
 * here is documented on the schema (`describe`), and every object is strict,
 * so a typo is reported instead of silently passed to the chart.
 */
import { z } from "zod";
import { gatewayIngressValues } from "./gateway-ingress";
import { ingressScheme } from "./rules";
import { stringify } from "yaml";
import type { ConfigProblem } from "./errors";
import { ConfigError, FoundText, describeValue, problemsFromZod } from "./errors";
import type { EnvironmentFile } from "./schema";
import { GPU_TAINT, NODE_ROLES, NODE_ROLE_LABEL } from "./node-roles";
import { isInZone } from "./rules";
import { knownKeysAt } from "./schema-keys";
import { resolveAddonEnabled } from "./environment";

/** Turbopuffer's AWS us-east-1 API (https://hevlayer.com/docs/kubernetes/vectorstore-crd). */
export const DEFAULT_VECTOR_STORE_URL = "https://aws-us-east-1.turbopuffer.com";
/** Turbopuffer's label for that region (operator-visible, not an AWS region code). */
export const DEFAULT_VECTOR_STORE_REGION = "aws-us-east-1";
export const INBOUND_SCOPES = ["read", "write", "admin"] as const;
/** The release Secret key the chart keeps the worker key under when workerSecretKey is blank. */
export const DEFAULT_WORKER_SECRET_KEY = "layer-inbound-worker-api-key";
export const RELEASE_NAME = "layer";

const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "expected a Kubernetes name: lowercase letters, digits and hyphens" })
  .max(63);
const keyName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, { error: "expected a key name: 1-31 lowercase letters, digits or hyphens, starting with a letter" });

const SecretRefSchema = z
  .strictObject({
    name: k8sName.describe("An existing Secret in the release namespace."),
    key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: "expected a Secret data key" }),
  })
  .describe("A key of an existing Kubernetes Secret (created outside this project, e.g. by External Secrets).");

const EndpointSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s]*)?$/, { error: "expected an https:// API base URL such as https://aws-us-east-1.turbopuffer.com" })
      .default(DEFAULT_VECTOR_STORE_URL),
    region: z
      .string()
      .regex(/^[a-z0-9-]+$/, { error: "expected a region label such as aws-us-east-1" })
      .default(DEFAULT_VECTOR_STORE_REGION)
      .describe("The vector store's own region label (Turbopuffer: aws-us-east-1, gcp-us-central1...)."),
  })
  .prefault({});

const CredentialSchema = z
  .strictObject({
    secretRef: SecretRefSchema.optional().describe(
      "Use an existing Secret for the upstream API key. Without it the key is supplied at deploy time (release.secrets).",
    ),
  })
  .prefault({})
  .describe("The upstream API key. Never written here: `apiKey` is supplied as a write-only value or comes from secretRef.");

const InboundKeySchema = z.strictObject({
  name: keyName,
  scopes: z.array(z.enum(INBOUND_SCOPES)).min(1, { error: "expected at least one scope of read, write, admin" }),
  worker: z
    .boolean()
    .default(false)
    .describe("Marks the key operator workers and KEDA authenticate with (exactly one in keys mode)."),
  secretRef: SecretRefSchema.optional().describe("An existing Secret holding this key; without it the key is supplied at deploy time."),
});

const InboundAuthSchema = z
  .strictObject({
    mode: z
      .enum(["deriveFromStore", "keys", "open"])
      .default("deriveFromStore")
      .describe("deriveFromStore: clients send the upstream key; keys: independent scoped keys; open: no inbound auth."),
    keys: z.array(InboundKeySchema).default([]).describe("keys mode: the accepted keys with their scopes."),
    workerSecretName: z
      .string()
      .default("")
      .describe("Secret with the worker key; blank: the release Secret (or the worker key's secretRef)."),
    workerSecretKey: z.string().default("").describe(`Key in that Secret; blank: ${DEFAULT_WORKER_SECRET_KEY}.`),
  })
  .prefault({});

const StoreSchema = z.strictObject({
  endpoint: EndpointSchema,
  credential: CredentialSchema,
  inboundAuth: InboundAuthSchema,
});

const AdditionalStoreSchema = StoreSchema.extend({
  name: k8sName.describe("VectorStore name, referenced by Index.spec.backend.storeRef."),
});

const ComputePoolSchema = z.strictObject({
  name: k8sName,
  nodeSelector: z.record(z.string(), z.string()).describe(`Selects the pool's nodes, normally by ${NODE_ROLE_LABEL}.`),
  tolerations: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(["Exists", "Equal"]).default("Exists"),
        value: z.string().optional(),
        effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
      }),
    )
    .optional(),
});

export type ComputePool = z.infer<typeof ComputePoolSchema>;

/** The stock InfraRules compute pools, selecting the worker NodePools' labels. */
export const STOCK_COMPUTE_POOLS: ComputePool[] = [
  { name: "cpu", nodeSelector: { [NODE_ROLE_LABEL]: NODE_ROLES.workerCpu } },
  { name: "cpu-large", nodeSelector: { [NODE_ROLE_LABEL]: NODE_ROLES.workerCpu } },
  {
    name: "gpu",
    nodeSelector: { [NODE_ROLE_LABEL]: NODE_ROLES.workerGpu },
    tolerations: [{ key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }],
  },
];

/** What `helm-values/<env>.yaml` may hold: every non-secret, non-wired key. */
export const ValuesFileSchema = z.strictObject({
  vectorStore: StoreSchema.prefault({}).describe("The default upstream store (VectorStore turbopuffer-default)."),
  additionalVectorStores: z
    .array(AdditionalStoreSchema)
    .default([])
    .describe("More upstream stores, each with its own endpoint, credential and inbound auth."),
  gateway: z
    .strictObject({
      indexNamespace: z.string().min(1).optional(),
      indexConfig: z.strictObject({ enabled: z.boolean() }).optional(),
      indexGc: z.strictObject({ enabled: z.boolean() }).optional(),
      consistency: z
        .strictObject({ stablePollIntervalMs: z.number().int().min(1000).default(60000) })
        .prefault({}),
    })
    .prefault({}),
  ingress: z
    .strictObject({ host: z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, { error: "expected a DNS host name" }).optional() })
    .prefault({})
    .describe("Defaults to dns.gatewayHost of the environment file."),
  operator: z
    .strictObject({
      discovery: z.strictObject({ indexNamespace: z.string().min(1).optional() }).prefault({}),
      infraRules: z
        .strictObject({
          create: z.boolean().default(true),
          computePools: z.array(ComputePoolSchema).default(STOCK_COMPUTE_POOLS),
        })
        .prefault({}),
    })
    .prefault({}),
  workerKarpenter: z
    .strictObject({ enabled: z.boolean().optional() })
    .prefault({})
    .describe("Chart-created worker NodePools; default off when this project creates the pools."),
  documentCache: z
    .strictObject({
      autoRestartOnStopWrites: z.boolean().default(true),
      storage: z.strictObject({ resetOnStart: z.boolean().default(true) }).prefault({}),
      nodeRole: z.enum([NODE_ROLES.system, NODE_ROLES.documentCache]).optional().describe("Default system, or document-cache with documentCache.karpenter.enabled."),
      karpenter: z
        .strictObject({ enabled: z.boolean().optional() })
        .prefault({})
        .describe("A dedicated document-cache pool; default karpenter.documentCache.enabled of the environment file."),
      resources: z
        .strictObject({
          requests: z.strictObject({
            cpu: z.string().regex(/^\d+(\.\d+)?m?$/, { error: "expected a CPU quantity such as 250m or 1" }).optional(),
            memory: z.string().regex(/^\d+(Mi|Gi)$/, { error: "expected a memory quantity such as 512Mi or 1Gi" }).optional(),
          }),
        })
        .optional()
        .describe("Aerospike's requests (chart default 500m CPU, 1Gi); the chart's limits and ephemeral-storage request stay. Sized per environment with npm run simulate (docs/simulation.md)."),
    })
    .prefault({}),
});

export type ValuesFile = z.infer<typeof ValuesFileSchema>;

/** Facts from AWS that the release needs; never written by hand in a values file. */
export interface WiredValues {
  readonly bucket: string;
  readonly gatewayRoleArn: string;
  readonly dashboardRoleArn?: string;
  readonly operatorRoleArn?: string;
  /** Repository URL without tag; the pinned tag/digest comes from release.gatewayImage. */
  readonly gatewayImageRepository: string;
  /** ACM certificate of the gateway host, when the release has an ingress. */
  readonly gatewayCertificateArn?: string;
}

type EnvForValues = EnvironmentFile & { readonly name: string; readonly file: string };

/** Where each wired key comes from, for messages. */
function wiredSources(env: EnvForValues): Record<string, string> {
  const aws = `the AWS stack layer-${env.name}-aws`;
  const ext = (field: string) => `externalAws.${field} in ${env.file}`;
  const helmOnly = env.mode === "helm-only";
  return {
    "s3.bucket": helmOnly ? ext("bucket") : `${aws} (its data bucket, named by config/naming.ts dataBucketName)`,
    "serviceAccount.roleArn": helmOnly ? ext("gatewayRoleArn") : `${aws} (the gateway IRSA role)`,
    "serviceAccount.name": `release.serviceAccounts.gateway in ${env.file}`,
    "dashboard.serviceAccount.roleArn": helmOnly ? ext("dashboardRoleArn") : `${aws} (the dashboard cost-read role)`,
    "dashboard.serviceAccount.name": `release.serviceAccounts.dashboard in ${env.file}`,
    "operator.serviceAccount.roleArn": helmOnly ? ext("operatorRoleArn") : `${aws} (the operator role)`,
    "operator.serviceAccount.name": `release.serviceAccounts.operator in ${env.file}`,
    "gateway.image": helmOnly
      ? `${ext("gatewayImageRepository")} and release.gatewayImage`
      : `${aws} (the gateway ECR repository) and release.gatewayImage in ${env.file}`,
  };
}

const SECRET_KEY_NAME = /^(api[-_]?key|password|token|secret[-_]?value)$/i;
/** Turbopuffer keys are `tpuf_` + 32 characters (https://turbopuffer.com/docs/onprem-operations). */
const SECRET_LITERAL = /^tpuf_[A-Za-z0-9]{8,}/;

/** Paths of values that look like secrets: a key named like one, or a string shaped like an API key. */
export function findSecretLiterals(raw: unknown, at: string[] = []): string[] {
  const found: string[] = [];
  const join = (p: string[]) => p.join(".").replace(/\.\[/g, "[");
  if (typeof raw === "string") {
    if (SECRET_LITERAL.test(raw.trim())) found.push(join(at));
  } else if (Array.isArray(raw)) {
    raw.forEach((v, i) => found.push(...findSecretLiterals(v, [...at, `[${i}]`])));
  } else if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw)) {
      if (SECRET_KEY_NAME.test(k) && v !== null && v !== undefined && typeof v !== "object") found.push(join([...at, k]));
      else found.push(...findSecretLiterals(v, [...at, k]));
    }
  }
  return [...new Set(found)];
}

function secretProblem(path: string, where: string): ConfigProblem {
  return {
    path,
    // The value itself is never echoed: error output ends up in CI logs.
    found: "a secret literal (value not shown)",
    expected: `no secret in ${where}: supply it at deploy time (the ephemeral TF_VAR_... variable listed in docs/secrets.md) or reference an existing Secret with secretRef`,
  };
}

/** Secret-looking values in an environment file (which is committed and flows into tags and names). */
export function secretProblemsInEnvironmentFile(raw: unknown): ConfigProblem[] {
  return findSecretLiterals(raw).map((p) => secretProblem(p, "an environment file"));
}

function hasPath(raw: unknown, path: string): boolean {
  let current: unknown = raw;
  for (const key of path.split(".")) {
    if (!current || typeof current !== "object" || Array.isArray(current) || !(key in current)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  return true;
}

function withoutPath(raw: unknown, path: string): unknown {
  const [head, ...rest] = path.split(".");
  if (!raw || typeof raw !== "object" || Array.isArray(raw) || !(head in raw)) return raw;
  const copy: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (rest.length === 0) delete copy[head];
  else {
    copy[head] = withoutPath(copy[head], rest.join("."));
    const child = copy[head];
    if (child && typeof child === "object" && !Array.isArray(child) && Object.keys(child).length === 0) delete copy[head];
  }
  return copy;
}

/** True when this project creates the Karpenter worker pools the chart's InfraRules select. */
export function projectOwnsPools(env: Pick<EnvironmentFile, "mode"> & { readonly karpenter: { readonly enabled?: boolean } }): boolean {
  // Karpenter defaults to on only with a fresh cluster (config/environment.ts).
  return resolveAddonEnabled(env.karpenter.enabled, env.mode);
}

/**
 * Parses and validates `helm-values/<env>.yaml` against the contract and the
 * environment it belongs to. Throws a ConfigError naming `file`.
 */
export function parseValuesFile(raw: unknown, file: string, env: EnvForValues): ValuesFile {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: "", found: describeValue(raw), expected: "a YAML mapping of chart values" }]);
  }
  const secrets = findSecretLiterals(raw);
  if (secrets.length > 0) throw new ConfigError(file, secrets.map((p) => secretProblem(p, "a values file")));

  const problems: ConfigProblem[] = [];
  let rest: unknown = raw;
  for (const [path, source] of Object.entries(wiredSources(env))) {
    if (hasPath(raw, path)) {
      problems.push({ path, found: "a value", expected: `no ${path} here: it is wired from ${source}` });
      rest = withoutPath(rest, path);
    }
  }
  const parsed = ValuesFileSchema.safeParse(rest);
  if (!parsed.success) {
    problems.push(...problemsFromZod(rest, parsed.error, (p) => knownValuesKeys(p)));
    throw new ConfigError(file, problems);
  }
  problems.push(...checkValuesRules(parsed.data, env));
  if (problems.length > 0) throw new ConfigError(file, problems);
  return parsed.data;
}

function knownValuesKeys(at: readonly PropertyKey[]): string[] {
  return knownKeysAt(ValuesFileSchema, at);
}

type Store = z.infer<typeof StoreSchema>;

function checkStore(store: Store, at: string, env: EnvForValues, add: (path: string, found: unknown, expected: string) => void): void {
  const auth = store.inboundAuth;
  const p = `${at}.inboundAuth`;
  const names = new Set<string>();
  auth.keys.forEach((key, i) => {
    if (names.has(key.name)) add(`${p}.keys[${i}].name`, key.name, "a key name used once (key names are unique)");
    names.add(key.name);
    if (new Set(key.scopes).size !== key.scopes.length) add(`${p}.keys[${i}].scopes`, key.scopes, "each scope listed once");
  });
  if (auth.mode === "keys") {
    if (!auth.keys.some((k) => k.scopes.includes("admin"))) {
      add(`${p}.keys`, auth.keys.map((k) => ({ name: k.name, scopes: k.scopes })), "at least one key with the admin scope (keys mode)");
    }
    const workers = auth.keys.filter((k) => k.worker);
    if (workers.length !== 1) {
      const marked = workers.length === 0 ? "no key" : `${workers.length} keys (${workers.map((k) => k.name).join(", ")})`;
      const listed = `${auth.keys.length} ${auth.keys.length === 1 ? "key" : "keys"}: ${auth.keys.map((k) => k.name).join(", ")}`;
      add(`${p}.keys`, new FoundText(`${marked} marked worker: true among ${listed}`), "exactly one key marked worker: true, the key operator workers and KEDA use (keys mode)");
    }
  } else {
    if (auth.keys.length > 0) add(`${p}.keys`, auth.keys.map((k) => k.name), `no keys: they are only used when ${p}.mode is keys (mode is ${auth.mode})`);
    if (auth.workerSecretName || auth.workerSecretKey) {
      add(`${p}.workerSecretName`, auth.workerSecretName || auth.workerSecretKey, `blank: a worker Secret is only used when ${p}.mode is keys`);
    }
  }
  if (auth.mode === "open" && env.protected && !env.release.acknowledgeOpenAuth) {
    add(
      `${p}.mode`,
      "open",
      `deriveFromStore or keys: ${env.name} is protected, so an unauthenticated gateway needs release.acknowledgeOpenAuth: true in ${env.file}`,
    );
  }
  if (auth.workerSecretName && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(auth.workerSecretName)) {
    add(`${p}.workerSecretName`, auth.workerSecretName, "a Kubernetes Secret name, or blank for the release Secret");
  }
}

function checkValuesRules(values: ValuesFile, env: EnvForValues): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, found: unknown, expected: string) => problems.push({ path, found: describeValue(found), expected });

  checkStore(values.vectorStore, "vectorStore", env, add);
  const storeNames = new Set<string>(["turbopuffer-default"]);
  values.additionalVectorStores.forEach((store, i) => {
    if (storeNames.has(store.name)) add(`additionalVectorStores[${i}].name`, store.name, "a store name used once (turbopuffer-default is the default store)");
    storeNames.add(store.name);
    checkStore(store, `additionalVectorStores[${i}]`, env, add);
  });

  const host = values.ingress.host;
  if (host && env.dns.gatewayHost && host !== env.dns.gatewayHost) {
    add("ingress.host", host, `${env.dns.gatewayHost} (dns.gatewayHost in ${env.file}), or leave it out to use that`);
  }
  if (host && env.dns.managePublicDns && env.dns.zoneName && !isInZone(host, env.dns.zoneName)) {
    add("ingress.host", host, `a name inside the managed zone ${env.dns.zoneName} (dns.managePublicDns is true)`);
  }

  const pools = values.operator.infraRules.computePools;
  const poolNames = new Set<string>();
  pools.forEach((pool, i) => {
    if (poolNames.has(pool.name)) add(`operator.infraRules.computePools[${i}].name`, pool.name, "a pool name used once");
    poolNames.add(pool.name);
  });
  const owns = projectOwnsPools(env);
  if (owns) {
    const roles: string[] = [];
    if (env.karpenter.workerCpu.enabled) roles.push(NODE_ROLES.workerCpu);
    if (env.karpenter.workerGpu.enabled) roles.push(NODE_ROLES.workerGpu);
    pools.forEach((pool, i) => {
      const role = pool.nodeSelector[NODE_ROLE_LABEL];
      if (!roles.includes(role)) {
        add(
          `operator.infraRules.computePools[${i}].nodeSelector`,
          pool.nodeSelector,
          `${NODE_ROLE_LABEL} set to a worker pool this environment creates: ${roles.join(" or ") || "none (karpenter worker pools are disabled)"}`,
        );
      }
    });
    if (values.workerKarpenter.enabled === true) {
      add("workerKarpenter.enabled", true, `false or unset: this project creates the worker NodePools (karpenter.enabled in ${env.file}); two owners would fight over them`);
    }
  }
  const dc = values.documentCache;
  const poolExists = owns && env.karpenter.documentCache.enabled;
  if (owns && dc.karpenter.enabled !== undefined && dc.karpenter.enabled !== poolExists) {
    add(
      "documentCache.karpenter.enabled",
      dc.karpenter.enabled,
      `${poolExists} or unset: it follows karpenter.documentCache.enabled in ${env.file}, which decides whether the pool exists`,
    );
  }
  const dcKarpenter = dc.karpenter.enabled ?? poolExists;
  if (dc.nodeRole === NODE_ROLES.documentCache && !dcKarpenter) {
    add("documentCache.nodeRole", dc.nodeRole, `system, or enable the dedicated pool (karpenter.documentCache.enabled in ${env.file})`);
  }
  return problems;
}

/** A secret the release needs, and every name it goes by. */
export interface ReleaseSecret {
  /** Helm value path (`set_wo` name, `--set-file` target). */
  readonly valuesPath: string;
  /** Terraform variable (write-only mode): set with `TF_VAR_<variable>`. */
  readonly variable: string;
  readonly description: string;
  /** Secrets Manager secret name (secrets-manager mode). */
  readonly secretsManagerName: string;
  /** The Kubernetes Secret that External Secrets / ASCP syncs it into (secrets-manager mode). */
  readonly kubernetesSecret: { readonly name: string; readonly key: string };
}

type EnvForSecrets = Pick<EnvironmentFile, "release"> & { readonly resourcePrefix: string; readonly releaseValues: ValuesFile };

/**
 * Every secret the release needs and that is not already a secretRef in the
 * values file: the upstream API key of each store and each inbound key.
 */
export function releaseSecrets(env: EnvForSecrets): ReleaseSecret[] {
  const out: ReleaseSecret[] = [];
  const add = (valuesPath: string, variable: string, k8sName: string, description: string) =>
    out.push({
      valuesPath,
      variable,
      description,
      secretsManagerName: `${env.resourcePrefix}/${k8sName}`,
      kubernetesSecret: { name: k8sName, key: "api-key" },
    });
  const store = (s: Store, pathPrefix: string, varPrefix: string, k8sPrefix: string, label: string) => {
    if (!s.credential.secretRef) add(`${pathPrefix}.credential.apiKey`, `${varPrefix}api_key`, `${k8sPrefix}`, `Upstream API key of ${label}`);
    s.inboundAuth.keys.forEach((key, i) => {
      if (s.inboundAuth.mode !== "keys" || key.secretRef) return;
      const n = key.name.replace(/-/g, "_");
      add(`${pathPrefix}.inboundAuth.keys[${i}].apiKey`, `${varPrefix}inbound_key_${n}`, `${k8sPrefix}-inbound-${key.name}`, `Gateway key "${key.name}" (${key.scopes.join(", ")}) of ${label}`);
    });
  };
  const v = env.releaseValues;
  store(v.vectorStore, "vectorStore", "vector_store_", "layer-vector-store", "the default vector store");
  v.additionalVectorStores.forEach((s, i) =>
    store(s, `additionalVectorStores[${i}]`, `vector_store_${s.name.replace(/-/g, "_")}_`, `layer-vector-store-${s.name}`, `vector store ${s.name}`),
  );
  return out;
}

type EnvForBuild = EnvForSecrets &
  Pick<EnvironmentFile, "mode" | "karpenter" | "dns" | "ingress" | "keda" | "protected"> & {
    readonly name: string;
    readonly releaseValues: ValuesFile;
  };

/** `repository:tag`, `repository@digest` or both: never a floating reference. */
export function gatewayImageReference(repository: string, image: EnvironmentFile["release"]["gatewayImage"]): string {
  return `${repository}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
}

/**
 * The release's values: the values file (defaulted) merged with the wired
 * values and, in secrets-manager mode, references to the synced Secrets. The
 * one implementation behind the Helm stack and `npm run values`.
 */
export function buildReleaseValues(env: EnvForBuild, wired: WiredValues): Record<string, unknown> {
  const v: ValuesFile = structuredClone(env.releaseValues);
  if (env.release.secrets === "secrets-manager") {
    for (const secret of releaseSecrets(env)) setRef(v, secret.valuesPath, secret.kubernetesSecret);
  }
  const stores = [v.vectorStore, ...v.additionalVectorStores];
  for (const s of stores) resolveWorkerSecret(s);

  const owns = projectOwnsPools(env);
  const dcKarpenter = v.documentCache.karpenter.enabled ?? (owns && env.karpenter.documentCache.enabled);
  const sa = env.release.serviceAccounts;
  const values: Record<string, unknown> = {
    vectorStore: v.vectorStore,
    ...(v.additionalVectorStores.length > 0 ? { additionalVectorStores: v.additionalVectorStores } : {}),
    gateway: { ...v.gateway, image: gatewayImageReference(wired.gatewayImageRepository, env.release.gatewayImage) },
    s3: { bucket: wired.bucket },
    serviceAccount: { name: sa.gateway, roleArn: wired.gatewayRoleArn },
    dashboard: { serviceAccount: { name: sa.dashboard, ...(wired.dashboardRoleArn ? { roleArn: wired.dashboardRoleArn } : {}) } },
    operator: {
      ...v.operator,
      serviceAccount: { name: sa.operator, ...(wired.operatorRoleArn ? { roleArn: wired.operatorRoleArn } : {}) },
    },
    ingress: gatewayIngress(env, v.ingress.host ?? env.dns.gatewayHost, wired.gatewayCertificateArn),
    workerKarpenter: { enabled: v.workerKarpenter.enabled ?? false },
    documentCache: {
      ...v.documentCache,
      nodeRole: v.documentCache.nodeRole ?? (dcKarpenter ? NODE_ROLES.documentCache : NODE_ROLES.system),
      karpenter: { enabled: dcKarpenter },
    },
  };
  if (kedaEnabled(env)) {
    // In keys mode KEDA's scalers authenticate to the gateway with the same worker Secret the operator's workers use.
    const keys = v.vectorStore.inboundAuth.mode === "keys";
    (values.operator as Record<string, unknown>).keda = {
      enabled: true,
      ...(keys ? { triggerAuthentication: { secretRef: workerSecret(values) } } : {}),
    };
  }
  return sortKeys(values) as Record<string, unknown>;
}

/** The gateway's Ingress: HTTPS through the load balancer controller, or none. */
function gatewayIngress(env: EnvForBuild, host: string | undefined, certificateArn: string | undefined): Record<string, unknown> | undefined {
  const scheme = ingressScheme(env);
  // No HTTPS ingress without a certificate: the host alone leaves the chart's own ingress default.
  if (scheme === "none" || !host || !certificateArn) return host ? { host } : undefined;
  const logs = env.ingress.accessLogs;
  return {
    ...gatewayIngressValues({
      scheme,
      host,
      certificateArn,
      sslPolicy: env.ingress.sslPolicy,
      deletionProtection: env.protected,
      accessLogs: logs ? { bucket: logs.bucket, prefix: logs.prefix ?? `alb/${env.name}` } : undefined,
      wafAclArn: env.ingress.wafAclArn,
    }),
  };
}

/** KEDA runs by default where this project built the cluster. */
export function kedaEnabled(env: Pick<EnvironmentFile, "keda" | "mode">): boolean {
  return env.keda.enabled ?? env.mode === "fresh-cluster";
}

/** In keys mode, blank worker Secret settings point at the worker key's own Secret when it has one. */
function resolveWorkerSecret(store: Store): void {
  const auth = store.inboundAuth;
  if (auth.mode !== "keys" || auth.workerSecretName) return;
  const worker = auth.keys.find((k) => k.worker);
  if (worker?.secretRef) {
    auth.workerSecretName = worker.secretRef.name;
    auth.workerSecretKey = worker.secretRef.key;
  }
}

/** The Secret and key operator workers and KEDA read the worker key from (empty name: the release Secret). */
export function workerSecret(values: Record<string, unknown>): { name: string; key: string } {
  const auth = (values.vectorStore as Store).inboundAuth;
  return { name: auth.workerSecretName || RELEASE_NAME, key: auth.workerSecretKey || DEFAULT_WORKER_SECRET_KEY };
}

/** Sets `<path minus .apiKey>.secretRef` for a secret path such as `vectorStore.inboundAuth.keys[0].apiKey`. */
function setRef(root: unknown, valuesPath: string, ref: { name: string; key: string }): void {
  const parts = valuesPath.replace(/\[(\d+)\]/g, ".$1").split(".");
  parts.pop(); // apiKey
  let current: any = root;
  for (const part of parts) current = current[part];
  current.secretRef = { ...ref };
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Deterministic YAML: keys sorted, no anchors, no line folding. */
export function renderValuesYaml(values: Record<string, unknown>): string {
  return stringify(sortKeys(values), { sortMapEntries: true, aliasDuplicateObjects: false, lineWidth: 0 });
}

/** Top-level keys of the release values: anything else is reported. */
export const RELEASE_VALUES_TOP_LEVEL_KEYS = [
  "additionalVectorStores",
  "dashboard",
  "documentCache",
  "gateway",
  "ingress",
  "operator",
  "s3",
  "serviceAccount",
  "vectorStore",
  "workerKarpenter",
] as const;
