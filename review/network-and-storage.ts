/**
 * The inventory's network and storage readers, from synthesized Terraform JSON:
 * the ingresses that make the load balancer controller create an ALB, the VPC
 * layout (subnets, NAT gateways, endpoints), and where data is kept (buckets,
 * repositories, file systems, log groups, keys, secrets, hosted zones).
 */
import { asList, block, isToken, num, ofType, referencedAddress, releaseValues, ResourceEntry, str } from "./terraform-json";

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
export function ingressSettings(all: ResourceEntry[]): IngressSetting[] {
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

export function networkSetting(all: ResourceEntry[]): NetworkSetting {
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

export function storageSetting(all: ResourceEntry[]): StorageSetting {
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
