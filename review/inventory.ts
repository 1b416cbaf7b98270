/**
 * What an environment contains, read only from its synthesized Terraform JSON
 * (never from the environment file): resource counts per stack and the
 * settings a reviewer checks.
 */
import { AddonSetting, addonSettings } from "./addons";
import type { EnvironmentJson, StackJson } from "./synth-output";
import { asList, block, dataSources, num, ofType, referencedAddress, releaseDocuments, resources, ResourceEntry, str } from "./terraform-json";
import { IngressSetting, ingressSettings, NetworkSetting, networkSetting, StorageSetting, storageSetting } from "./network-and-storage";
import { STATEFUL_TYPES } from "../tfjson/stack-json";

export { STATEFUL_TYPES } from "../tfjson/stack-json";

export interface StackInventory {
  readonly name: string;
  readonly resourceCount: number;
  readonly byType: Record<string, number>;
}

export interface ClusterSetting {
  readonly address: string;
  readonly name: string | null;
  /** false when the stack reads an existing cluster (data source). */
  readonly created: boolean;
  readonly kubernetesVersion: string | null;
  readonly endpointPublicAccess: boolean | null;
  readonly endpointPrivateAccess: boolean | null;
  readonly publicAccessCidrs: string[];
  readonly logTypes: string[];
}

export interface NodeGroupSetting {
  readonly address: string;
  readonly name: string | null;
  readonly instanceTypes: string[];
  readonly capacityType: string;
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly rootVolumeGiB: number | null;
  readonly rootVolumeType: string | null;
  /** Nodes get a public IPv4 address (the subnets map public IPs on launch). */
  readonly publicIp: boolean;
  /** Subnet addresses the group launches into (when the stack names them). */
  readonly subnets: string[];
}

export interface PoolSetting {
  readonly name: string;
  /** The resource that renders it (helm_release or kubernetes_manifest address). */
  readonly source: string;
  readonly limits: Record<string, string | number>;
  readonly labels: Record<string, string | number>;
}

export interface ChartSetting {
  readonly address: string;
  readonly name: string | null;
  readonly chart: string | null;
  readonly repository: string | null;
  readonly version: string | null;
  readonly namespace: string | null;
}

export interface ProtectionSetting {
  /** Every stateful resource carries `lifecycle.prevent_destroy` (and there is at least one). */
  readonly allStatefulProtected: boolean;
  readonly protected: string[];
  readonly unprotected: string[];
}

export interface Settings {
  readonly region: string | null;
  readonly protection: ProtectionSetting;
  readonly clusters: ClusterSetting[];
  readonly nodeGroups: NodeGroupSetting[];
  readonly karpenterPools: PoolSetting[];
  /** Every helm_release, add-ons' and the product's. */
  readonly charts: ChartSetting[];
  /** The cluster add-ons the stacks install (addons/catalog.ts), with their charts and versions. */
  readonly addons: AddonSetting[];
  readonly ingresses: IngressSetting[];
  readonly network: NetworkSetting;
  readonly storage: StorageSetting;
}

export interface Inventory {
  readonly stacks: StackInventory[];
  readonly settings: Settings;
}

export function inventory(env: EnvironmentJson): Inventory {
  const stackNames = Object.keys(env.stacks).sort();
  const stacks = stackNames.map((name) => stackInventory(name, env.stacks[name]));
  const all = stackNames.flatMap((name) => resources(env.stacks[name]));
  const data = stackNames.flatMap((name) => dataSources(env.stacks[name]));
  return { stacks, settings: settings(env, all, data) };
}

function stackInventory(name: string, stack: StackJson): StackInventory {
  const byType: Record<string, number> = {};
  const entries = resources(stack);
  for (const r of entries) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return { name, resourceCount: entries.length, byType };
}

function settings(env: EnvironmentJson, all: ResourceEntry[], data: ResourceEntry[]): Settings {
  const network = networkSetting(all);
  const addons = addonSettings(all);
  return {
    region: regionOf(env),
    protection: protectionSetting(all),
    clusters: clusterSettings(all, data),
    nodeGroups: nodeGroupSettings(all, network),
    karpenterPools: poolSettings(all),
    charts: ofType(all, "helm_release").map(chartSetting),
    addons,
    ingresses: ingressSettings(all),
    network,
    storage: storageSetting(all),
  };
}

/** The AWS provider's region (the first provider block of any stack). */
export function regionOf(env: EnvironmentJson): string | null {
  for (const name of Object.keys(env.stacks).sort()) {
    const aws = block(env.stacks[name].provider?.aws as any);
    if (aws && typeof aws.region === "string") return aws.region;
  }
  return null;
}

function protectionSetting(all: ResourceEntry[]): ProtectionSetting {
  const stateful = all.filter((r) => (STATEFUL_TYPES as readonly string[]).includes(r.type));
  const isProtected = (r: ResourceEntry) => block(r.config.lifecycle)?.prevent_destroy === true;
  const protectedOnes = stateful.filter(isProtected).map((r) => r.address);
  const unprotected = stateful.filter((r) => !isProtected(r)).map((r) => r.address);
  return { allStatefulProtected: stateful.length > 0 && unprotected.length === 0, protected: protectedOnes, unprotected };
}

function clusterSettings(all: ResourceEntry[], data: ResourceEntry[]): ClusterSetting[] {
  const created = ofType(all, "aws_eks_cluster").map((r): ClusterSetting => {
    const vpc = block(r.config.vpc_config) ?? {};
    return {
      address: r.address,
      name: str(r.config.name),
      created: true,
      kubernetesVersion: str(r.config.version),
      endpointPublicAccess: typeof vpc.endpoint_public_access === "boolean" ? vpc.endpoint_public_access : null,
      endpointPrivateAccess: typeof vpc.endpoint_private_access === "boolean" ? vpc.endpoint_private_access : null,
      publicAccessCidrs: asList(vpc.public_access_cidrs).map(String),
      logTypes: asList(r.config.enabled_cluster_log_types).map(String),
    };
  });
  // A cluster this project does not create is read by name; record it once.
  const seen = new Set(created.map((c) => c.name));
  const existing: ClusterSetting[] = [];
  for (const d of ofType(data, "aws_eks_cluster")) {
    const name = str(d.config.name);
    if (seen.has(name)) continue;
    seen.add(name);
    existing.push({
      address: d.address,
      name,
      created: false,
      kubernetesVersion: null,
      endpointPublicAccess: null,
      endpointPrivateAccess: null,
      publicAccessCidrs: [],
      logTypes: [],
    });
  }
  return [...created, ...existing];
}

function nodeGroupSettings(all: ResourceEntry[], network: NetworkSetting): NodeGroupSetting[] {
  const byAddress = new Map(all.map((r) => [r.address, r]));
  const publicSubnets = new Set(network.subnets.filter((s) => s.mapsPublicIp).map((s) => s.address));
  return ofType(all, "aws_eks_node_group").map((r) => {
    const scaling = block(r.config.scaling_config) ?? {};
    const templateRef = referencedAddress(block(r.config.launch_template)?.id) ?? referencedAddress(block(r.config.launch_template)?.name);
    const template = templateRef ? byAddress.get(templateRef)?.config : undefined;
    const instanceTypes = asList(r.config.instance_types).map(String);
    if (instanceTypes.length === 0 && template?.instance_type) instanceTypes.push(String(template.instance_type));
    if (instanceTypes.length === 0) instanceTypes.push("t3.medium"); // the EKS API's default for managed node groups
    const rootEbs = template ? block(block(template.block_device_mappings)?.ebs) : undefined;
    const subnetRefs = asList(r.config.subnet_ids).map(referencedAddress);
    const publicIp =
      subnetRefs.some((s) => s && publicSubnets.has(s)) ||
      // One token for the whole list: public when every subnet of the stack maps public IPs.
      (subnetRefs.every((s) => s === undefined) && network.subnets.length > 0 && network.subnets.every((s) => s.mapsPublicIp));
    return {
      address: r.address,
      name: str(r.config.node_group_name),
      instanceTypes,
      capacityType: str(r.config.capacity_type) ?? "ON_DEMAND",
      minSize: num(scaling.min_size) ?? 0,
      desiredSize: num(scaling.desired_size) ?? num(scaling.min_size) ?? 0,
      maxSize: num(scaling.max_size) ?? 0,
      rootVolumeGiB: num(rootEbs?.volume_size) ?? num(r.config.disk_size) ?? (template ? null : 20),
      rootVolumeType: str(rootEbs?.volume_type) ?? (rootEbs || !template ? "gp3" : null),
      publicIp,
      subnets: subnetRefs.filter((x): x is string => Boolean(x)),
    };
  });
}

/**
 * Karpenter NodePools, wherever they are rendered: `kind: NodePool` objects in
 * a kubernetes_manifest or in any helm_release's values, and pool entries
 * (an object with `limits` under a key naming a pool) in the values of a
 * release whose name or chart names pools or Karpenter.
 */
function poolSettings(all: ResourceEntry[]): PoolSetting[] {
  const pools: PoolSetting[] = [];
  const add = (pool: PoolSetting) => {
    if (!pools.some((p) => p.name === pool.name && p.source === pool.source)) pools.push(pool);
  };
  for (const m of ofType(all, "kubernetes_manifest")) {
    const manifest = block(m.config.manifest);
    if (manifest?.kind === "NodePool") add(poolFromNodePool(manifest, m.address));
  }
  for (const release of ofType(all, "helm_release")) {
    const poolRelease = /pool|karpenter/i.test(`${release.config.name ?? ""} ${release.config.chart ?? ""}`);
    const visit = (value: unknown, keys: string[]) => {
      if (Array.isArray(value)) {
        value.forEach((v) => visit(v, keys));
        return;
      }
      if (!value || typeof value !== "object") return;
      const obj = value as Record<string, any>;
      if (obj.kind === "NodePool" && obj.spec) {
        add(poolFromNodePool(obj, release.address));
        return;
      }
      const key = keys[keys.length - 1] ?? "";
      if (poolRelease && keys.some((k) => /pool/i.test(k)) && obj.limits && typeof obj.limits === "object" && !Array.isArray(obj.limits)) {
        add({
          name: String(obj.name ?? key),
          source: release.address,
          limits: scalarRecord(obj.limits),
          labels: scalarRecord(obj.labels ?? {}),
        });
        return;
      }
      for (const [k, v] of Object.entries(obj)) visit(v, [...keys, k]);
    };
    for (const doc of releaseDocuments(release.config)) visit(doc, []);
  }
  return pools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function poolFromNodePool(obj: Record<string, any>, source: string): PoolSetting {
  return {
    name: String(obj.metadata?.name ?? "unnamed"),
    source,
    limits: scalarRecord(obj.spec?.limits ?? {}),
    labels: scalarRecord(obj.spec?.template?.metadata?.labels ?? {}),
  };
}

function chartSetting(r: ResourceEntry): ChartSetting {
  return {
    address: r.address,
    name: str(r.config.name),
    chart: str(r.config.chart),
    repository: str(r.config.repository),
    version: str(r.config.version),
    namespace: str(r.config.namespace),
  };
}

function scalarRecord(value: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (!value || typeof value !== "object") return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === "string" || typeof v === "number") out[k] = v;
  return out;
}
