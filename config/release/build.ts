/**
 * The values the `layer` release passes to the chart: the values file
 * (validated, config/release/check.ts) merged with what this project wires
 * in (bucket, region, IRSA roles, images, ingress). The one implementation
 * behind the Helm stack and `npm run values`. Secrets are never part of it.
 */
import { stringify } from "yaml";
import type { EnvironmentFile } from "../schema";
import { ingressScheme } from "../rules";
import { NODE_ROLES } from "../node-roles";
import type { ValuesFile } from "./values-schema";
import { costAllocationTag } from "../cost-allocation";
import { RELEASE_NAME } from "./values-schema";

/** The product images the release runs, by chart section. */
export const RELEASE_IMAGES = ["gateway", "operator", "dashboard", "search"] as const;
export type ReleaseImage = (typeof RELEASE_IMAGES)[number];

/** Facts from AWS that the release needs; never written by hand in a values file. */
export interface WiredValues {
  readonly bucket: string;
  readonly gatewayRoleArn: string;
  readonly dashboardRoleArn?: string;
  readonly operatorRoleArn?: string;
  /** Image repositories without tag, by image (this environment's ECR, or what the environment names). */
  readonly imageRepositories: Partial<Record<ReleaseImage, string>>;
}

type EnvForBuild = Pick<EnvironmentFile, "mode" | "karpenter" | "dns" | "ingress" | "release" | "region" | "tags"> & {
  readonly name: string;
  readonly resourcePrefix: string;
  readonly releaseValues: ValuesFile;
};

/** `repository:tag`, `repository@digest` or both: never a floating reference. */
export function imageReference(repository: string, image: { readonly tag?: string; readonly digest?: string }): string {
  return `${repository}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
}

/** The chart key of the worker Secret in keys mode: the one key's own Secret, or its entry in the release Secret. */
export function workerSecret(values: ValuesFile): { name: string; key: string } | undefined {
  const auth = values.vectorStore.inboundAuth;
  const key = auth.keys[0];
  if (auth.mode !== "keys" || !key) return undefined;
  // The chart's own default key name for an entry without secretRef (templates/secret.yaml).
  return key.secretRef ? { ...key.secretRef } : { name: RELEASE_NAME, key: `layer-inbound-${key.name}-api-key` };
}

function image(env: EnvForBuild, wired: WiredValues, name: ReleaseImage): string | undefined {
  const pinned = env.release.images[name];
  const repository = pinned?.repository ?? wired.imageRepositories[name];
  return pinned && repository ? imageReference(repository, pinned) : undefined;
}

/**
 * On the system nodes the document cache reserves 250m CPU instead of the chart's 500m, so the
 * baseline fits one i4i.large with 15 % CPU headroom (measured by `npm run simulate`,
 * docs/simulation.md); Aerospike has no CPU limit and still uses the CPU the node has free.
 * A CPU request in the values file, or a dedicated cache pool, keeps its own sizing.
 */
export const SYSTEM_NODE_DOCUMENT_CACHE_CPU = "250m";

function documentCacheRequests(v: ValuesFile, nodeRole: string): { resources?: Record<string, Record<string, string | number>> } {
  const resources = v.documentCache.resources;
  if (nodeRole !== NODE_ROLES.system || resources?.requests?.cpu !== undefined) return resources ? { resources } : {};
  return { resources: { ...resources, requests: { ...resources?.requests, cpu: SYSTEM_NODE_DOCUMENT_CACHE_CPU } } };
}

export function buildReleaseValues(env: EnvForBuild, wired: WiredValues): Record<string, unknown> {
  const v: ValuesFile = structuredClone(env.releaseValues);
  const sa = env.release.serviceAccounts;
  const worker = workerSecret(v);
  const dedicatedCachePool = env.mode !== "helm-only" && env.karpenter.documentCache.enabled;
  // The tag the gateway's cost API filters by, carried by every AWS resource of the environment.
  const cost = costAllocationTag(env);
  const scheme = ingressScheme(env);
  const host = v.ingress.host ?? env.dns.gatewayHost;
  const cacheNodeRole = v.documentCache.nodeRole ?? (dedicatedCachePool ? NODE_ROLES.documentCache : NODE_ROLES.system);

  const values: Record<string, unknown> = {
    ...(v.priorityClasses ? { priorityClasses: v.priorityClasses } : {}),
    gateway: {
      ...v.gateway,
      image: image(env, wired, "gateway"),
      cost: { tagKey: cost.key, tagValue: cost.value, ...v.gateway.cost },
    },
    operator: {
      ...v.operator,
      ...(v.operator.enabled ? { image: image(env, wired, "operator") } : {}),
      serviceAccount: { name: sa.operator, ...(wired.operatorRoleArn ? { roleArn: wired.operatorRoleArn } : {}) },
    },
    dashboard: {
      ...v.dashboard,
      ...(v.dashboard.enabled ? { image: image(env, wired, "dashboard") } : {}),
      serviceAccount: { name: sa.dashboard, ...(wired.dashboardRoleArn ? { roleArn: wired.dashboardRoleArn } : {}) },
    },
    documentCache: {
      ...v.documentCache,
      ...documentCacheRequests(v, cacheNodeRole),
      nodeRole: cacheNodeRole,
      // The project's worker-pools chart renders the document-cache NodePool (addons/worker-pools/): one owner.
      karpenter: { enabled: false },
    },
    // Same for the worker NodePools: charts/worker-pools owns them.
    workerKarpenter: { enabled: false },
    ...(v.localStorage ? { localStorage: v.localStorage } : {}),
    ...(v.metrics ? { metrics: v.metrics } : {}),
    search: { ...v.search, ...(v.search.enabled ? { image: image(env, wired, "search") } : {}) },
    ...(v.license ? { license: v.license } : {}),
    ...(v.rbac ? { rbac: v.rbac } : {}),
    vectorStore: {
      ...v.vectorStore,
      inboundAuth: { ...v.vectorStore.inboundAuth, ...(worker ? { workerSecretName: worker.name, workerSecretKey: worker.key } : {}) },
    },
    s3: { bucket: wired.bucket, region: env.region },
    serviceAccount: { name: sa.gateway, roleArn: wired.gatewayRoleArn },
    // The chart's Ingress is internet-facing on the shared `alb` class; the load balancer controller finds the ACM certificate by host.
    ingress:
      scheme === "none" || !host
        ? { enabled: false, ...(host ? { host } : {}) }
        : { enabled: true, host, groupName: env.resourcePrefix, tags: `${cost.key}=${cost.value}` },
  };
  return sortKeys(values) as Record<string, unknown>;
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

/** KEDA runs by default where this project built the cluster. */
export function kedaEnabled(env: Pick<EnvironmentFile, "keda" | "mode">): boolean {
  return env.keda.enabled ?? env.mode === "fresh-cluster";
}
