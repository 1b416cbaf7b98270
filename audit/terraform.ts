/**
 * Reading synthesized Terraform JSON: resources by type across both stacks,
 * nested blocks (object or one-element array) and `${type.name.attr}`
 * references.
 */
import { parseReference } from "../tfjson/stack-json";
import type { AuditContext, AuditEnvironment, AuditStacks, ResourceRef } from "./types";

export { asList, block, blocks, parseReference, refersTo } from "../tfjson/stack-json";

export type ChartReader = (release: ResourceRef) => Array<{ file: string; text: string }> | undefined;

export function createContext(
  env: AuditEnvironment,
  stacks: AuditStacks,
  canaries: readonly string[] = [],
  chartTemplates: ChartReader = () => undefined,
): AuditContext {
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
