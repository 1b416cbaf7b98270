/**
 * The cost-allocation tag of an environment. The gateway's cost API filters
 * Cost Explorer by one tag (`gateway.cost.tagKey` / `tagValue`, chart default
 * `Project=hevlayer`), so every AWS resource of the environment carries it:
 * the provider's default tags, the system nodes' launch template and the
 * instances Karpenter and the load balancer controller create.
 *
 * The key must also be activated once per payer account as a cost-allocation
 * tag before Cost Explorer can filter by it (docs/cluster.md).
 */
export const COST_ALLOCATION_TAG_KEY = "Project";

/** The chart's default value, also what its own Karpenter node classes tag with. */
export const DEFAULT_COST_ALLOCATION_TAG_VALUE = "hevlayer";

export interface CostAllocationTag {
  readonly key: string;
  readonly value: string;
}

/**
 * `Project=<value>`: the environment's own `tags.Project` when it sets one
 * (to tell environments in one account apart), otherwise `hevlayer`. The
 * release wires it to `gateway.cost.tagKey` and `gateway.cost.tagValue`.
 */
export function costAllocationTag(env: { readonly tags: Readonly<Record<string, string>> }): CostAllocationTag {
  return { key: COST_ALLOCATION_TAG_KEY, value: env.tags[COST_ALLOCATION_TAG_KEY] ?? DEFAULT_COST_ALLOCATION_TAG_VALUE };
}
