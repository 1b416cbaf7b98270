import type { StackJson } from "./synth";

/** All resources of a type, keyed by name. */
export function resourcesOfType(stack: StackJson | undefined, type: string): Record<string, any> {
  return stack?.resource?.[type] ?? {};
}

/** The only resource of a type; fails the test when there is not exactly one. */
export function onlyResource(stack: StackJson | undefined, type: string): any {
  const all = Object.values(resourcesOfType(stack, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** cdktf may emit a nested block as an object or a one-element array: accept both. */
export function block<T = any>(value: T | T[] | undefined): T | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Every `type.name` address in a stack. */
export function addresses(stack: StackJson | undefined): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(stack?.resource ?? {})) {
    for (const name of Object.keys(byName)) out.push(`${type}.${name}`);
  }
  return out.sort();
}

export function parsePolicy(text: string): { Statement: any[] } {
  return JSON.parse(text);
}

/** Normalizes a policy field that may be a string or a list. */
export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The `layer` release among a Helm stack's releases. */
export function layerRelease(stack: StackJson | undefined): any {
  const release = stack?.resource?.helm_release?.layer_release;
  if (!release) throw new Error("the Helm stack has no layer release");
  return release;
}
