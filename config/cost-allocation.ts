/**
 * The cost-allocation tag of an environment. The gateway's cost API filters
 * Cost Explorer by one tag (`gateway.cost.tagKey` / `tagValue`; the chart's
 * own default `Project=hevlayer` would mix every environment of an account),
 * so the release points it at `hev.dev/environment=<env>`, a default tag
 * every AWS resource of the environment already carries: the provider's
 * default tags, the system nodes' instances and volumes, everything Karpenter
 * and the load balancer controller create.
 *
 * The key must also be activated once per payer account as a cost-allocation
 * tag before Cost Explorer can filter by it (docs/cluster.md).
 */
export const COST_ALLOCATION_TAG_KEY = "hev.dev/environment";

export interface CostAllocationTag {
  readonly key: string;
  readonly value: string;
}

/** `hev.dev/environment=<env name>`, as config/naming.ts `defaultTags` puts it on every resource. */
export function costAllocationTag(env: { readonly name: string; readonly tags: Readonly<Record<string, string>> }): CostAllocationTag {
  return { key: COST_ALLOCATION_TAG_KEY, value: env.tags[COST_ALLOCATION_TAG_KEY] ?? env.name };
}
