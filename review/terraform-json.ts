/** Small readers over synthesized Terraform JSON, shared by the review's parts. */
import { parseAllDocuments } from "yaml";
import type { StackJson } from "./synth-output";

export interface ResourceEntry {
  /** `aws_s3_bucket.data_bucket` */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The resource's arguments without cdktf's `//` metadata. */
  readonly config: Record<string, any>;
}

/** Every managed resource of a stack, sorted by address. */
export function resources(stack: StackJson | undefined): ResourceEntry[] {
  const out: ResourceEntry[] = [];
  for (const [type, byName] of Object.entries(stack?.resource ?? {})) {
    if (type === "//") continue;
    for (const [name, config] of Object.entries(byName ?? {})) {
      if (name === "//") continue;
      out.push({ address: `${type}.${name}`, type, name, config: withoutMetadata(config) });
    }
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Data sources, addressed `data.<type>.<name>`. */
export function dataSources(stack: StackJson | undefined): ResourceEntry[] {
  const out: ResourceEntry[] = [];
  for (const [type, byName] of Object.entries(stack?.data ?? {})) {
    for (const [name, config] of Object.entries(byName ?? {})) {
      if (name === "//") continue;
      out.push({ address: `data.${type}.${name}`, type, name, config: withoutMetadata(config) });
    }
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

export function ofType(entries: readonly ResourceEntry[], type: string): ResourceEntry[] {
  return entries.filter((e) => e.type === type);
}

/** Removes cdktf's `//` metadata keys at every depth. */
export function withoutMetadata<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutMetadata) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = withoutMetadata(v);
    return out as T;
  }
  return value;
}

/** cdktf may emit a nested block as an object or a one-element array. */
export function block<T = any>(value: T | T[] | undefined): T | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A list argument may be a literal list or one token that expands to a list. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** `${aws_subnet.network_public_us_east_1a.id}` → `aws_subnet.network_public_us_east_1a`. */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.[A-Za-z0-9_.]+\}$/.exec(value);
  return match?.[1];
}

/** True for a Terraform interpolation such as `${var.x}` or `${aws_x.y.id}`. */
export function isToken(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** A helm_release's values documents (the `values` list of YAML strings), parsed. */
export function releaseValues(release: Record<string, any>): { values: Record<string, any>; unparsed: number } {
  let merged: Record<string, any> = {};
  let unparsed = 0;
  for (const text of asList(release.values)) {
    if (typeof text !== "string") {
      unparsed++;
      continue;
    }
    try {
      for (const doc of parseAllDocuments(text)) {
        if (doc.errors.length > 0) {
          unparsed++;
          continue;
        }
        const data = doc.toJS();
        if (data && typeof data === "object" && !Array.isArray(data)) merged = deepMerge(merged, data);
      }
    } catch {
      unparsed++;
    }
  }
  return { values: merged, unparsed };
}

/** Later documents win, as `helm --values a --values b` does. */
function deepMerge(a: Record<string, any>, b: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object" && !Array.isArray(out[k])
        ? deepMerge(out[k], v)
        : v;
  }
  return out;
}

/** Every YAML document in a helm_release's values, for manifests a small chart renders verbatim. */
export function releaseDocuments(release: Record<string, any>): unknown[] {
  const docs: unknown[] = [];
  for (const text of asList(release.values)) {
    if (typeof text !== "string") continue;
    try {
      for (const doc of parseAllDocuments(text)) if (doc.errors.length === 0) docs.push(doc.toJS());
    } catch {
      // unparsable values are reported by releaseValues
    }
  }
  return docs;
}
