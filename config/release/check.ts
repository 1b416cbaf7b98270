/**
 * Validates `helm-values/<env>.yaml` against the chart's values contract and
 * the environment it belongs to. Every problem names the values file, the key
 * path, what was found and what is expected; a secret is never echoed.
 */
import type { ConfigProblem } from "../errors";
import { ConfigError, describeValue, problemsFromZod } from "../errors";
import type { EnvironmentFile } from "../schema";
import { NODE_ROLES } from "../node-roles";
import { isInZone } from "../rules";
import { knownKeysAt } from "../schema-keys";
import { findSecretLiterals, secretProblem } from "./secrets";
import type { ValuesFile } from "./values-schema";
import { ValuesFileSchema, WORKER_SCOPES } from "./values-schema";

export type EnvForValues = EnvironmentFile & { readonly name: string; readonly file: string };

/** Chart keys the values file may not set, and why: each is wired by this project. */
function wiredSources(env: EnvForValues): Record<string, string> {
  const aws = `the AWS stack layer-${env.name}-aws`;
  const ext = (field: string) => `externalAws.${field} in ${env.file}`;
  const helmOnly = env.mode === "helm-only";
  const image = (name: string) => `release.images.${name} in ${env.file}`;
  return {
    "s3.bucket": helmOnly ? ext("bucket") : `${aws} (its data bucket, named by config/naming.ts dataBucketName)`,
    "s3.region": `region in ${env.file}`,
    "serviceAccount.roleArn": helmOnly ? ext("gatewayRoleArn") : `${aws} (the gateway IRSA role)`,
    "serviceAccount.name": `release.serviceAccounts.gateway in ${env.file}`,
    "dashboard.serviceAccount.roleArn": helmOnly ? ext("dashboardRoleArn") : `${aws} (the dashboard cost-read role)`,
    "dashboard.serviceAccount.name": `release.serviceAccounts.dashboard in ${env.file}`,
    "operator.serviceAccount.roleArn": helmOnly ? ext("operatorRoleArn") : `${aws} (the operator role)`,
    "operator.serviceAccount.name": `release.serviceAccounts.operator in ${env.file}`,
    "gateway.image": image("gateway"),
    "operator.image": image("operator"),
    "dashboard.image": image("dashboard"),
    "search.image": image("search"),
    "vectorStore.inboundAuth.workerSecretName": "the one key of keys mode (its secretRef, or the release Secret)",
    "vectorStore.inboundAuth.workerSecretKey": "the one key of keys mode (its secretRef key, or layer-inbound-<name>-api-key)",
    "gateway.cost.region": "the chart default us-east-1 (Cost Explorer's only endpoint)",
    "ingress.enabled": `ingress.scheme and dns in ${env.file}`,
    "ingress.groupName": `the environment (one ALB IngressGroup per environment, ${env.file})`,
    workerKarpenter: `karpenter in ${env.file}: this project's worker-pools chart owns every worker NodePool, so the chart's own stays off`,
    "documentCache.karpenter": `karpenter.documentCache in ${env.file}: this project's worker-pools chart owns the document-cache NodePool`,
  };
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

/** Parses and validates a values file. Throws one ConfigError naming `file`. */
export function parseValuesFile(raw: unknown, file: string, env: EnvForValues): ValuesFile {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: "", found: describeValue(raw), expected: "a YAML mapping of chart values" }]);
  }
  const secrets = findSecretLiterals(raw);
  if (secrets.length > 0)
    throw new ConfigError(
      file,
      secrets.map((p) => secretProblem(p, "a values file")),
    );

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
    problems.push(...problemsFromZod(rest, parsed.error, (p) => knownKeysAt(ValuesFileSchema, p)));
    throw new ConfigError(file, problems);
  }
  problems.push(...checkValuesRules(parsed.data, env));
  if (problems.length > 0) throw new ConfigError(file, problems);
  // What the values turn on decides which images the environment file must pin.
  const imageProblems = checkImages(parsed.data, env);
  if (imageProblems.length > 0) throw new ConfigError(env.file, imageProblems);
  return parsed.data;
}

/** `https://aws-us-east-1.turbopuffer.com` → `aws-us-east-1`; undefined for a URL without a region label. */
export function regionLabelOfUrl(url: string): string | undefined {
  const host = /^https:\/\/([^/:]+)/.exec(url)?.[1] ?? "";
  return /^((?:aws|gcp|azure)-[a-z0-9-]+)\./.exec(host)?.[1];
}

type Add = (path: string, found: unknown, expected: string) => void;

function checkVectorStore(values: ValuesFile, env: EnvForValues, add: Add): void {
  const store = values.vectorStore;
  const urlRegion = regionLabelOfUrl(store.endpoint.url);
  if (urlRegion && urlRegion !== store.endpoint.region) {
    add(
      "vectorStore.endpoint.region",
      store.endpoint.region,
      `${urlRegion}, the region of vectorStore.endpoint.url ${store.endpoint.url} (URL and region must name the same region)`,
    );
  }
  const auth = store.inboundAuth;
  const p = "vectorStore.inboundAuth";
  if (auth.mode === "keys") {
    if (auth.keys.length !== 1) {
      add(
        `${p}.keys`,
        auth.keys.map((k) => k.name),
        "exactly one key in keys mode: chart layer 0.1.0 cannot render more (the range in its templates/vectorstore.yaml trims the newline between entries, so two or more keys fail with a YAML parse error); mint further keys through the gateway's key API (docs/secrets.md)",
      );
    }
    auth.keys.forEach((key, i) => {
      if (new Set(key.scopes).size !== key.scopes.length) add(`${p}.keys[${i}].scopes`, key.scopes, "each scope listed once");
      const missing = WORKER_SCOPES.filter((s) => !key.scopes.includes(s));
      if (missing.length > 0) {
        add(
          `${p}.keys[${i}].scopes`,
          key.scopes,
          `scopes including ${WORKER_SCOPES.join(" and ")}: the one key is the worker key that operator workers, KEDA and the dashboard use`,
        );
      }
    });
  } else {
    if (auth.keys.length > 0)
      add(
        `${p}.keys`,
        auth.keys.map((k) => k.name),
        `no keys: they are only used when ${p}.mode is keys (mode is ${auth.mode})`,
      );
  }
  if (auth.mode === "open" && env.protected && !env.release.acknowledgeOpenAuth) {
    add(
      `${p}.mode`,
      "open",
      `deriveFromStore or keys: ${env.name} is protected, so an unauthenticated gateway needs release.acknowledgeOpenAuth: true in ${env.file}`,
    );
  }
}

function checkValuesRules(values: ValuesFile, env: EnvForValues): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add: Add = (path, found, expected) => problems.push({ path, found: describeValue(found), expected });
  checkVectorStore(values, env, add);

  const host = values.ingress.host;
  if (host && env.dns.gatewayHost && host !== env.dns.gatewayHost) {
    add("ingress.host", host, `${env.dns.gatewayHost} (dns.gatewayHost in ${env.file}), or leave it out to use that`);
  }
  if (host && env.dns.managePublicDns && env.dns.zoneName && !isInZone(host, env.dns.zoneName)) {
    add("ingress.host", host, `a name inside the managed zone ${env.dns.zoneName} (dns.managePublicDns is true)`);
  }
  const dashboardIngress = values.dashboard.ingress;
  if (dashboardIngress?.enabled && !dashboardIngress.host)
    add("dashboard.ingress.host", undefined, "the dashboard's host name, because dashboard.ingress.enabled is true");

  const gw = values.gateway;
  if ((gw.replicas ?? 1) > 1 && gw.queue?.embedded !== false) {
    add(
      "gateway.replicas",
      gw.replicas,
      "1 while gateway.queue.embedded is true (the chart's default): the embedded queue's PostgreSQL is a sidecar of the single gateway pod",
    );
  }
  if (values.documentCache.nodeRole === NODE_ROLES.documentCache && !(env.karpenter.documentCache.enabled && env.mode !== "helm-only")) {
    add("documentCache.nodeRole", values.documentCache.nodeRole, `system, or create the dedicated pool with karpenter.documentCache.enabled in ${env.file}`);
  }
  return problems;
}

function checkImages(values: ValuesFile, env: EnvForValues): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add: Add = (path, found, expected) => problems.push({ path, found: describeValue(found), expected });
  const images = env.release.images;
  const needed: Array<[keyof typeof images, boolean, string]> = [
    ["gateway", true, "the gateway always runs"],
    ["operator", values.operator.enabled, "operator.enabled is true"],
    ["dashboard", values.dashboard.enabled, "dashboard.enabled is true"],
    ["search", values.search.enabled, "search.enabled is true"],
  ];
  for (const [name, required, why] of needed) {
    if (!env.release.enabled || !required) continue;
    const image = images[name] as { tag?: string; digest?: string; repository?: string } | undefined;
    if (!image || (!image.tag && !image.digest)) {
      add(`release.images.${name}`, image, `a pinned tag or sha256 digest (${why}, and the chart renders an empty image without one)`);
      continue;
    }
    const fromEcr = env.mode !== "helm-only" && name !== "search";
    const fromExternal = env.mode === "helm-only" && name === "gateway";
    if (!image.repository && !images.registry && !fromEcr && !fromExternal) {
      add(
        `release.images.${name}.repository`,
        undefined,
        `the repository the ${name} image is pulled from, or release.images.registry (no ECR repository of this project holds it)`,
      );
    }
  }
  return problems;
}
