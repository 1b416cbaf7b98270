/**
 * The values a helm_release passes to its chart: YAML documents in `values`
 * plus `set`/`set_list` entries. The ALB that the load balancer controller
 * creates and the Karpenter EC2NodeClasses exist only here, so the audit
 * reads them here.
 */
import { parse } from "yaml";
import { asList } from "./terraform";
import type { AuditContext, ResourceRef } from "./types";

export interface ReleaseValues {
  readonly release: ResourceRef;
  /** Parsed `values` documents (unparseable ones are reported by HELM-01). */
  readonly documents: any[];
  readonly unparseable: string[];
  /** `set` and `set_list` entries as name → value. */
  readonly sets: Array<{ name: string; value: unknown; field: string }>;
}

export function releaseValues(release: ResourceRef): ReleaseValues {
  const documents: any[] = [];
  const unparseable: string[] = [];
  for (const text of asList<unknown>(release.body.values)) {
    if (typeof text !== "string") continue;
    try {
      documents.push(parse(text));
    } catch (e) {
      unparseable.push((e as Error).message.split("\n")[0]);
    }
  }
  const sets = [
    ...asList<any>(release.body.set).map((s) => ({ name: String(s.name), value: s.value, field: "set" })),
    ...asList<any>(release.body.set_list).map((s) => ({ name: String(s.name), value: s.value, field: "set_list" })),
    ...asList<any>(release.body.set_sensitive).map((s) => ({ name: String(s.name), value: s.value, field: "set_sensitive" })),
  ];
  return { release, documents, unparseable, sets };
}

export function allReleaseValues(ctx: AuditContext): ReleaseValues[] {
  return ctx.resources("helm_release").map(releaseValues);
}

/** Every object inside a value tree, with its dotted path. */
export function objectsIn(value: unknown, path = ""): Array<{ path: string; object: Record<string, any> }> {
  const out: Array<{ path: string; object: Record<string, any> }> = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...objectsIn(v, `${path}[${i}]`)));
  else if (value && typeof value === "object") {
    out.push({ path, object: value as Record<string, any> });
    for (const [k, v] of Object.entries(value)) out.push(...objectsIn(v, path ? `${path}.${k}` : k));
  }
  return out;
}

/** Every scalar leaf with its dotted path. */
export function leavesIn(value: unknown, path = ""): Array<{ path: string; key: string; value: unknown }> {
  const out: Array<{ path: string; key: string; value: unknown }> = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...leavesIn(v, `${path}[${i}]`)));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (v !== null && typeof v === "object") out.push(...leavesIn(v, p));
      else out.push({ path: p, key: k, value: v });
    }
  }
  return out;
}
