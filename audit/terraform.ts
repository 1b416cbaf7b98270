/**
 * Reading synthesized Terraform JSON: resources by type across both stacks,
 * nested blocks (object or one-element array) and `${type.name.attr}`
 * references.
 */
import type { AuditContext, AuditEnvironment, AuditStacks, ResourceRef } from "./types";

/** cdktf may emit a nested block as an object or a one-element array: accept both. */
export function block(value: unknown): any {
  return Array.isArray(value) ? value[0] : value;
}

/** Every element of a repeated block or list (a single object counts as one). */
export function blocks(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function asList<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([a-z0-9_]+))?[^}]*\}$/;

/** `${aws_s3_bucket.data_bucket.id}` → type, name and attribute. */
export function parseReference(value: unknown): { type: string; name: string; attribute?: string } | undefined {
  if (typeof value !== "string") return undefined;
  const m = REFERENCE.exec(value.trim());
  if (!m || m[1] === "var" || m[1] === "local" || m[1] === "data") return undefined;
  return { type: m[1], name: m[2], attribute: m[3] };
}

/** True when `value` is a reference to a resource of `type` (any attribute). */
export function refersTo(value: unknown, type: string, name?: string): boolean {
  const ref = parseReference(value);
  return !!ref && ref.type === type && (name === undefined || ref.name === name);
}

export type ChartReader = (release: ResourceRef) => Array<{ file: string; text: string }> | undefined;

export function createContext(env: AuditEnvironment, stacks: AuditStacks, canaries: readonly string[] = [], chartTemplates: ChartReader = () => undefined): AuditContext {
  const all: ResourceRef[] = [];
  for (const stack of ["aws", "helm"] as const) {
    for (const [type, byName] of Object.entries(stacks[stack]?.resource ?? {})) {
      for (const [name, body] of Object.entries(byName ?? {})) {
        all.push({ type, name, address: `${type}.${name}`, stack, body });
      }
    }
  }
  return {
    env,
    stacks,
    canaries,
    chartTemplates,
    resources: (...types: string[]) => all.filter((r) => types.includes(r.type)),
    resolve: (reference: unknown) => {
      const ref = parseReference(reference);
      return ref ? all.find((r) => r.type === ref.type && r.name === ref.name) : undefined;
    },
  };
}

/** Walks any JSON value, calling `visit` for every string with its path. */
export function walkStrings(value: unknown, visit: (text: string, path: string) => void, path = ""): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, visit, `${path}[${i}]`));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walkStrings(v, visit, path ? `${path}.${k}` : k);
  }
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function isFalseOrAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === false || value === "false";
}
