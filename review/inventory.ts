/**
 * What an environment contains, read only from its synthesized Terraform JSON
 * (never from the environment file): resource counts per stack and the
 * settings a reviewer checks.
 */
import { AddonSetting, addonSettings } from "./addons";
import type { EnvironmentJson, StackJson } from "./synth-output";
import { asList, block, dataSources, isToken, ofType, referencedAddress, releaseDocuments, releaseValues, resources, ResourceEntry } from "./terraform-json";
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

export interface IngressSetting {
  readonly source: string;
  readonly className: string | null;
  readonly scheme: string;
  readonly host: string | null;
  /** ALB ingress group: ingresses in one group share one load balancer. */
  readonly group: string | null;
}

export interface SubnetSetting {
  readonly address: string;
  readonly availabilityZone: string | null;
  readonly cidr: string | null;
  /** Routes to an internet gateway (or, without routing in the stack, maps public IPs). */
  readonly public: boolean;
  /** Instances launched here get a public IPv4 address (`map_public_ip_on_launch`). */
  readonly mapsPublicIp: boolean;
}

export interface EndpointSetting {
  readonly address: string;
  readonly service: string | null;
  readonly type: string;
  /** Interface endpoints bill per AZ-hour: one ENI per subnet. */
  readonly azCount: number;
}

export interface NetworkSetting {
  readonly vpcs: { address: string; cidr: string | null }[];
  readonly subnets: SubnetSetting[];
  readonly natGateways: { address: string; subnet: string | null }[];
  readonly elasticIps: string[];
  readonly endpoints: EndpointSetting[];
  readonly flowLogs: string[];
}

export interface StorageSetting {
  readonly buckets: { address: string; name: string | null }[];
  readonly repositories: { address: string; name: string | null }[];
  readonly fileSystems: { address: string; creationToken: string | null }[];
  readonly logGroups: { address: string; name: string | null; retentionDays: number | null }[];
  readonly kmsKeys: string[];
  readonly secrets: string[];
  readonly hostedZones: string[];
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

const SCHEME = "alb.ingress.kubernetes.io/scheme";
const GROUP = "alb.ingress.kubernetes.io/group.name";

/**
 * Ingresses that make the AWS Load Balancer Controller create an ALB: an
 * `ingress` section enabled in a release's values, or a kubernetes_ingress_v1.
 * Without a scheme annotation the controller creates an internal ALB; the
 * product chart writes `scheme: internet-facing` and its `groupName` into its
 * own template (templates/gateway-ingress.yaml). A `scheme` in the `alb`
 * class's IngressClassParams overrides every Ingress of the class.
 */
function ingressSettings(all: ResourceEntry[]): IngressSetting[] {
  const out: IngressSetting[] = [];
  for (const release of ofType(all, "helm_release")) {
    const { values } = releaseValues(release.config);
    const productChart = /(^|\/)layer$/.test(str(release.config.chart) ?? "");
    const visit = (value: unknown, depth: number) => {
      if (!value || typeof value !== "object" || Array.isArray(value) || depth > 4) return;
      for (const [k, v] of Object.entries(value as Record<string, any>)) {
        if (k === "ingress" && v && typeof v === "object" && !Array.isArray(v)) {
          if (v.enabled === true || (v.enabled === undefined && (v.host || v.hosts || v.className))) {
            const annotations = (v.annotations ?? {}) as Record<string, unknown>;
            const hosts = asList(v.hosts).map((h: any) => (typeof h === "string" ? h : h?.host));
            out.push({
              source: release.address,
              className: str(v.className ?? v.ingressClassName) ?? (productChart ? "alb" : null),
              scheme: str(annotations[SCHEME]) ?? (productChart ? "internet-facing" : "internal"),
              host: str(v.host) ?? str(hosts[0]),
              group: str(annotations[GROUP]) ?? (productChart ? str(v.groupName) : null),
            });
          }
        } else visit(v, depth + 1);
      }
    };
    visit(values, 0);
  }
  for (const ingress of ofType(all, "kubernetes_ingress_v1")) {
    const metadata = block(ingress.config.metadata) ?? {};
    const spec = block(ingress.config.spec) ?? {};
    const annotations = (metadata.annotations ?? {}) as Record<string, unknown>;
    out.push({
      source: ingress.address,
      className: str(spec.ingress_class_name),
      scheme: str(annotations[SCHEME]) ?? "internal",
      host: str(block(spec.rule)?.host),
      group: str(annotations[GROUP]),
    });
  }
  const classScheme = albClassScheme(all);
  // Only the ALB controller's class creates load balancers.
  return out
    .filter((i) => i.className === null || i.className === "alb")
    .map((i) => (i.className === "alb" && classScheme ? { ...i, scheme: classScheme } : i));
}

/** `ingressClassParams.spec.scheme` of the load balancer controller's release, if it sets one. */
function albClassScheme(all: ResourceEntry[]): string | null {
  for (const release of ofType(all, "helm_release")) {
    const { values } = releaseValues(release.config);
    const params = (values as any)?.ingressClassParams;
    if ((values as any)?.ingressClass === "alb" && params?.spec?.scheme) return str(params.spec.scheme);
  }
  return null;
}

function networkSetting(all: ResourceEntry[]): NetworkSetting {
  const internetTables = internetRouteTables(all);
  const associated = new Map<string, string>();
  for (const a of ofType(all, "aws_route_table_association")) {
    const subnet = referencedAddress(a.config.subnet_id);
    const table = referencedAddress(a.config.route_table_id);
    if (subnet && table) associated.set(subnet, table);
  }
  const subnets = ofType(all, "aws_subnet").map((r) => {
    const mapsPublicIp = r.config.map_public_ip_on_launch === true;
    const table = associated.get(r.address);
    return {
      address: r.address,
      availabilityZone: str(r.config.availability_zone),
      cidr: str(r.config.cidr_block),
      public: table ? internetTables.has(table) : mapsPublicIp,
      mapsPublicIp,
    };
  });
  const zones = new Set(subnets.map((s) => s.availabilityZone).filter(Boolean));
  return {
    vpcs: ofType(all, "aws_vpc").map((r) => ({ address: r.address, cidr: str(r.config.cidr_block) })),
    subnets,
    natGateways: ofType(all, "aws_nat_gateway").map((r) => ({ address: r.address, subnet: referencedAddress(r.config.subnet_id) ?? null })),
    elasticIps: ofType(all, "aws_eip").map((r) => r.address),
    endpoints: ofType(all, "aws_vpc_endpoint").map((r) => {
      const type = str(r.config.vpc_endpoint_type) ?? "Gateway";
      const ids = asList(r.config.subnet_ids);
      // One token standing for a list: assume one ENI per zone of the VPC.
      const azCount = type !== "Interface" ? 0 : ids.length === 1 && isToken(ids[0]) && !referencedAddress(ids[0]) ? Math.max(zones.size, 1) : ids.length;
      return { address: r.address, service: str(r.config.service_name), type, azCount };
    }),
    flowLogs: ofType(all, "aws_flow_log").map((r) => r.address),
  };
}

/** Route tables with a default route to an internet gateway (separate aws_route or inline). */
function internetRouteTables(all: ResourceEntry[]): Set<string> {
  const toInternet = (gateway: unknown) => referencedAddress(gateway)?.startsWith("aws_internet_gateway.") ?? false;
  const tables = new Set<string>();
  for (const route of ofType(all, "aws_route")) {
    const table = referencedAddress(route.config.route_table_id);
    if (table && toInternet(route.config.gateway_id)) tables.add(table);
  }
  for (const table of ofType(all, "aws_route_table")) {
    if (asList(table.config.route).some((r: any) => toInternet(r?.gateway_id))) tables.add(table.address);
  }
  return tables;
}

function storageSetting(all: ResourceEntry[]): StorageSetting {
  return {
    buckets: ofType(all, "aws_s3_bucket").map((r) => ({ address: r.address, name: str(r.config.bucket) })),
    repositories: ofType(all, "aws_ecr_repository").map((r) => ({ address: r.address, name: str(r.config.name) })),
    fileSystems: ofType(all, "aws_efs_file_system").map((r) => ({ address: r.address, creationToken: str(r.config.creation_token) })),
    logGroups: ofType(all, "aws_cloudwatch_log_group").map((r) => ({
      address: r.address,
      name: str(r.config.name),
      retentionDays: num(r.config.retention_in_days),
    })),
    kmsKeys: ofType(all, "aws_kms_key").map((r) => r.address),
    secrets: ofType(all, "aws_secretsmanager_secret").map((r) => r.address),
    hostedZones: ofType(all, "aws_route53_zone").map((r) => r.address),
  };
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}

function num(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  return null;
}

function scalarRecord(value: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (!value || typeof value !== "object") return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === "string" || typeof v === "number") out[k] = v;
  return out;
}
