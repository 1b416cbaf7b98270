/** Everything the checks read: rendered releases, all objects, nodes and workloads of one environment. */
import type { ClusterMode, NodeShape } from "./nodes";
import type { RenderedObject, StackJson } from "./model";
import type { RenderedRelease } from "./render";
import type { Workload } from "./workloads";

export interface SimulationContext {
  readonly environment: string;
  readonly mode: ClusterMode;
  readonly aws?: StackJson;
  readonly helm?: StackJson;
  readonly releases: readonly RenderedRelease[];
  /** Objects of the releases, the stack's own kubernetes_* resources and the managed add-ons' pods. */
  readonly objects: readonly RenderedObject[];
  readonly nodes: readonly NodeShape[];
  readonly workloads: readonly Workload[];
  /** Each release's effective values: the chart's values.yaml with the release's values merged over it. */
  readonly effectiveValues: ReadonlyMap<string, Record<string, unknown>>;
}

/** Every address `address` waits for, following `depends_on` through the stack. */
export function dependencyClosure(ctx: SimulationContext, address: string): Set<string> {
  const direct = (a: string): string[] => {
    const release = ctx.releases.find((r) => r.address === a);
    if (release) return [...release.dependsOn];
    const [type, name] = a.split(".");
    const body = ctx.helm?.resource?.[type]?.[name];
    return Array.isArray(body?.depends_on) ? body.depends_on.map(String) : [];
  };
  const seen = new Set<string>();
  const stack = direct(address);
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...direct(next));
  }
  return seen;
}
