/**
 * Renders every `helm_release` of a Helm stack with the real helm binary and
 * exactly what the stack passes: its values documents, `set` entries,
 * write-only and sensitive entries (as placeholders, never real values), its
 * namespace and chart. Each distinct render runs once per process and is
 * reused; independent renders run in parallel.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments, parse } from "yaml";
import { locateChart } from "./charts";
import { runHelmAsync } from "./helm";
import { KubeObject, RenderedObject, blocks, isRecord } from "./model";

/** What a write-only or sensitive value renders as: never the real secret. */
export const WRITE_ONLY_PLACEHOLDER = "simulated-write-only-value";

export interface RenderedRelease {
  /** `helm_release.<logical name>`. */
  readonly address: string;
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly chartDir?: string;
  readonly standIn?: string;
  /** The values documents merged, as the chart receives them from `values`. */
  readonly values: Record<string, unknown>;
  /** Names of `set`, `set_wo`, `set_sensitive` and `set_list` entries. */
  readonly setNames: readonly string[];
  /** Addresses this release waits for (`depends_on`, transitively resolved by the checks). */
  readonly dependsOn: readonly string[];
  /** Whether terraform waits for the release's workloads to be ready. @default true (provider default) */
  readonly wait: boolean;
  readonly objects: readonly RenderedObject[];
  /** Set when the release could not be rendered: a missing chart (skip) or a helm error (failure). */
  readonly skip?: string;
  readonly error?: string;
}

export interface RenderOptions {
  readonly helm: string;
  readonly referenceDir: string;
  /** `--kube-version`: the cluster's Kubernetes version when the stacks state it. */
  readonly kubeVersion?: string;
}

/** Deep merge as helm merges several `-f` files: maps merge, everything else is replaced. */
export function mergeValues(base: Record<string, unknown>, overlay: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overlay)) out[k] = isRecord(out[k]) && isRecord(v) ? mergeValues(out[k] as Record<string, unknown>, v) : v;
  return out;
}

const renders = new Map<string, Promise<{ status: number; stdout: string; stderr: string }>>();
let running = 0;
const queue: (() => void)[] = [];
const slots = Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length));

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= slots) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** Helm's `--set` syntax treats commas as separators and backslashes as escapes. */
const escapeSet = (v: string) => v.replace(/\\/g, "\\\\").replace(/,/g, "\\,");

function helmTemplate(helm: string, chartDir: string, args: string[], valuesDocs: string[]) {
  const key = createHash("sha256")
    .update(JSON.stringify([chartDir, args, valuesDocs]))
    .digest("hex");
  let pending = renders.get(key);
  if (!pending) {
    pending = withSlot(async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-simulate-"));
      try {
        const files = valuesDocs.map((doc, i) => {
          const file = path.join(dir, `values-${i}.yaml`);
          fs.writeFileSync(file, doc);
          return ["-f", file];
        });
        return await runHelmAsync(helm, ["template", ...args.slice(0, 1), chartDir, ...args.slice(1), ...files.flat()]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    renders.set(key, pending);
  }
  return pending;
}

/**
 * The parts of a CRD the checks read (group, kind, name), taken from the text: CRD schemas are
 * most of what helm prints, and parsing them fully would be most of the simulation's time.
 */
function crdSummary(text: string): KubeObject | undefined {
  const unquote = (v: string | undefined) => v?.replace(/^["']|["']$/g, "");
  const group = unquote(/^ {2}group: (\S+)/m.exec(text)?.[1]);
  const kind = unquote(/^ {2}names:\n(?: {4}.*\n)*? {4}kind: (\S+)/m.exec(text)?.[1]);
  const name = unquote(/^metadata:\n(?: {2}.*\n)*? {2}name: (\S+)/m.exec(text)?.[1]);
  if (!group || !kind) return undefined;
  return { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name }, spec: { group, names: { kind } } };
}

/** Splits helm's output into objects, keeping each one's `# Source:` template; `List` objects are unpacked. */
export function parseManifests(stdout: string): { object: KubeObject; template?: string }[] {
  const out: { object: KubeObject; template?: string }[] = [];
  let source: string | undefined;
  for (const chunk of stdout.split(/^---[ \t]*$/m)) {
    // helm writes `# Source:` once per template file; the file's further documents carry none.
    source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim() ?? source;
    if (/^kind: CustomResourceDefinition\s*$/m.test(chunk)) {
      const crd = crdSummary(chunk);
      if (crd) {
        out.push({ object: crd, template: source });
        continue;
      }
    }
    for (const doc of parseAllDocuments(chunk)) {
      const value = doc.toJS() as unknown;
      if (!isRecord(value) || typeof value.kind !== "string") continue;
      const items = value.kind === "List" && Array.isArray(value.items) ? value.items.filter(isRecord) : [value];
      for (const item of items) out.push({ object: { ...item, metadata: isRecord(item.metadata) ? item.metadata : {} } as KubeObject, template: source });
    }
  }
  return out;
}

export async function renderRelease(logicalName: string, release: Record<string, any>, stackDir: string, options: RenderOptions): Promise<RenderedRelease> {
  const address = `helm_release.${logicalName}`;
  const namespace = String(release.namespace ?? "default");
  const valuesDocs: string[] = (Array.isArray(release.values) ? release.values : []).map(String);
  const values = valuesDocs.reduce<Record<string, unknown>>((acc, doc) => {
    const parsed = parse(doc) as unknown;
    return isRecord(parsed) ? mergeValues(acc, parsed) : acc;
  }, {});
  const setArgs: string[] = [];
  const setNames: string[] = [];
  for (const s of blocks(release.set)) {
    setNames.push(String(s.name));
    const flag = s.type === "string" ? "--set-string" : s.type === "literal" ? "--set-literal" : "--set";
    setArgs.push(flag, `${s.name}=${flag === "--set-literal" ? String(s.value) : escapeSet(String(s.value))}`);
  }
  for (const s of [...blocks(release.set_wo), ...blocks(release.set_sensitive)]) {
    setNames.push(String(s.name));
    setArgs.push("--set-string", `${s.name}=${WRITE_ONLY_PLACEHOLDER}`);
  }
  for (const s of blocks(release.set_list)) {
    setNames.push(String(s.name));
    setArgs.push("--set", `${s.name}={${(Array.isArray(s.value) ? s.value : []).map((v: unknown) => escapeSet(String(v))).join(",")}}`);
  }
  const location = locateChart(release, stackDir, options.referenceDir);
  const base = {
    address,
    name: String(release.name ?? logicalName),
    namespace,
    chart: location.label,
    chartDir: location.dir,
    standIn: location.standIn,
    values,
    setNames,
    dependsOn: (Array.isArray(release.depends_on) ? release.depends_on : []).map(String),
    wait: release.wait !== false,
  };
  if (!location.dir) return { ...base, objects: [], skip: location.skip };
  const args = [
    base.name,
    "--namespace",
    namespace,
    ...(options.kubeVersion ? ["--kube-version", options.kubeVersion] : []),
    ...(release.skip_crds === true ? [] : ["--include-crds"]),
    ...setArgs,
  ];
  const result = await helmTemplate(options.helm, location.dir, args, valuesDocs);
  if (result.status !== 0) return { ...base, objects: [], error: result.stderr.trim().split("\n").slice(-3).join(" ") || `helm exited ${result.status}` };
  const chartFolder = path.basename(location.dir);
  const objects = parseManifests(result.stdout).map(({ object, template }) => ({
    object: { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? (isClusterScoped(object.kind) ? undefined : namespace) } },
    origin: {
      address,
      chart: location.label,
      template,
      fromCrdsDir: template ? new RegExp(`^[^/]+/crds/`).test(template) || template.startsWith(`${chartFolder}/crds/`) : false,
    },
  }));
  return { ...base, objects };
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "StorageClass",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "PriorityClass",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "APIService",
  "IngressClass",
  "RuntimeClass",
  "CSIDriver",
  "NodePool",
  "EC2NodeClass",
  "NodeClaim",
  "NodeOverlay",
  "ClusterSecretStore",
  "ClusterExternalSecret",
  "ClusterTriggerAuthentication",
  "IngressClassParams",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "VolumeAttachment",
]);

/** Kinds helm does not give a namespace (the ones a simulation needs to tell apart). */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}
