/** The review's readers over synthesized Terraform JSON: the shared ones, plus Helm release values. */
import { parseAllDocuments } from "yaml";
import { asList } from "../tfjson/stack-json";

export type { ResourceEntry } from "../tfjson/stack-json";
export { asList, block, dataSources, isToken, ofType, referencedAddress, resources, withoutMetadata } from "../tfjson/stack-json";

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
    out[k] = v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object" && !Array.isArray(out[k]) ? deepMerge(out[k], v) : v;
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

/** A scalar as a string (numbers too), else null. */
export function str(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}

/** A number, or a string of digits as a number, else null. */
export function num(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  return null;
}
