import type { StackJson } from "../../tfjson/stack-json";

export { addresses, asList, block } from "../../tfjson/stack-json";

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

export function parsePolicy(text: string): { Statement: any[] } {
  return JSON.parse(text);
}

/** The `layer` release among a Helm stack's releases. */
export function layerRelease(stack: StackJson | undefined): any {
  const release = stack?.resource?.helm_release?.layer_release;
  if (!release) throw new Error("the Helm stack has no layer release");
  return release;
}
