import type { Finding, ResourceRef } from "./types";

/**
 * One finding per failed condition of a resource, or one passing finding
 * when every condition holds. `conditions` pairs a boolean with the message
 * shown when it is false.
 */
export function judge(resource: Pick<ResourceRef, "address" | "stack">, conditions: Array<[boolean, string]>, passed: string): Finding[] {
  const failures = conditions.filter(([ok]) => !ok);
  if (failures.length === 0) return [{ address: resource.address, stack: resource.stack, ok: true, message: passed }];
  return failures.map(([, message]) => ({ address: resource.address, stack: resource.stack, ok: false, message }));
}

export function pass(resource: Pick<ResourceRef, "address" | "stack">, message: string): Finding {
  return { address: resource.address, stack: resource.stack, ok: true, message };
}

export function fail(resource: Pick<ResourceRef, "address" | "stack">, message: string): Finding {
  return { address: resource.address, stack: resource.stack, ok: false, message };
}
