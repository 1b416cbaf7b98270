/**
 * The baseline monthly cost of an environment: what it costs switched on and
 * idle, line by line, from its inventory and the price table. Usage-driven
 * charges (data processed, requests, Karpenter workers under load) are not in
 * a baseline; Karpenter pools scale from zero and are shown at 0.
 */
import type { Inventory } from "./inventory";
import { HOURS_PER_MONTH, INSTANCE_HOUR_PRICES, NOMINAL, Price, PRICE_TABLE_DATE, PRICE_TABLE_REGION, PRICES, regionFactor } from "./prices";

export interface CostLine {
  readonly id: string;
  readonly description: string;
  readonly quantity: number;
  readonly unit: string;
  /** us-east-1 list price × the region factor (1 for prices that are the same everywhere). */
  readonly unitPriceUsd: number;
  readonly monthlyUsd: number;
  readonly source: string | null;
  readonly checked: string | null;
  readonly estimate: boolean;
  readonly note: string | null;
}

export interface CostEstimate {
  readonly currency: "USD";
  readonly region: string | null;
  readonly priceTableRegion: string;
  readonly priceTableDate: string;
  readonly regionFactor: number;
  /** True when any line is not a us-east-1 list price. */
  readonly estimate: boolean;
  readonly hoursPerMonth: number;
  readonly lines: CostLine[];
  readonly monthlyUsd: number;
}

export function roundCents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

export function estimateCost(inv: Inventory): CostEstimate {
  const s = inv.settings;
  const { factor, estimate } = regionFactor(s.region);
  const lines: CostLine[] = [];
  const add = (id: string, description: string, quantity: number, price: Price | undefined, note: string | null = null) => {
    if (quantity <= 0) return;
    const regional = !price?.sameInEveryRegion;
    const unitPriceUsd = price ? price.usd * (regional ? factor : 1) : 0;
    lines.push({
      id,
      description,
      quantity,
      unit: price?.unit ?? "unit",
      unitPriceUsd,
      monthlyUsd: roundCents(quantity * unitPriceUsd),
      source: price?.source ?? null,
      checked: price?.checked ?? null,
      estimate: (estimate && regional) || !price,
      note: price ? note : `no price for this in review/prices.ts: counted as 0${note ? `; ${note}` : ""}`,
    });
  };
  const H = HOURS_PER_MONTH;

  const clusters = s.clusters.filter((c) => c.created);
  add("eks-control-plane", `EKS control plane (${clusters.map((c) => c.name).join(", ")})`, clusters.length * H, PRICES.eksClusterHour);

  let publicNodeCount = 0;
  for (const group of s.nodeGroups) {
    const type = group.instanceTypes[0];
    const nodes = group.desiredSize;
    const note = group.capacityType === "SPOT" ? "priced On-Demand; Spot is cheaper" : null;
    add(`node-group:${group.address}`, `${group.name ?? group.address}: ${nodes} × ${type} (desired size)`, nodes * H, INSTANCE_HOUR_PRICES[type], note);
    if (group.rootVolumeGiB) {
      const gp3 = group.rootVolumeType === "gp3" ? PRICES.ebsGp3GbMonth : undefined;
      add(
        `node-volumes:${group.address}`,
        `${group.name ?? group.address}: ${nodes} × ${group.rootVolumeGiB} GiB ${group.rootVolumeType ?? "root"} root volume`,
        nodes * group.rootVolumeGiB,
        gp3,
      );
    }
    if (group.publicIp) publicNodeCount += nodes;
  }
  for (const pool of s.karpenterPools) {
    lines.push({
      id: `karpenter-pool:${pool.name}`,
      description: `Karpenter pool ${pool.name}: scales from zero, nothing runs at idle`,
      quantity: 0,
      unit: "node-hour",
      unitPriceUsd: 0,
      monthlyUsd: 0,
      source: null,
      checked: null,
      estimate: false,
      note: `pays only while workers run (limits: ${
        Object.entries(pool.limits)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ") || "none"
      })`,
    });
  }

  // Ingresses in one ALB group share a load balancer.
  const albs = new Map<string, { scheme: string }>();
  s.ingresses.forEach((i, n) => albs.set(i.group ? `group:${i.group}` : `ingress:${n}`, { scheme: i.scheme }));
  add("alb", `Application Load Balancer (${albs.size}) for the release's ingress`, albs.size * H, PRICES.albHour);
  add(
    "alb-lcu",
    `ALB capacity: ${NOMINAL.albLcus} LCU minimum per load balancer`,
    albs.size * NOMINAL.albLcus * H,
    PRICES.albLcuHour,
    "nominal: traffic adds LCUs",
  );

  const nat = s.network.natGateways.length;
  add("nat-gateways", `NAT gateways (${nat})`, nat * H, PRICES.natGatewayHour, "hours only; data processed is extra");

  const interfaceEndpoints = s.network.endpoints.filter((e) => e.type === "Interface");
  const endpointAzs = interfaceEndpoints.reduce((sum, e) => sum + e.azCount, 0);
  add(
    "interface-endpoints",
    `Interface VPC endpoints (${interfaceEndpoints.map((e) => e.service?.split(".").slice(3).join(".") ?? e.address).join(", ")}) × AZs`,
    endpointAzs * H,
    PRICES.interfaceEndpointAzHour,
    "hours only; data processed is extra",
  );

  const zones = new Set(s.network.subnets.filter((x) => x.public).map((x) => x.availabilityZone)).size;
  const publicAlbs = [...albs.values()].filter((a) => a.scheme === "internet-facing").length;
  const albAddresses = publicAlbs * Math.max(zones, 2);
  const eips = s.network.elasticIps.length;
  const addresses = publicNodeCount + eips + albAddresses;
  add(
    "public-ipv4",
    `Public IPv4 addresses: ${publicNodeCount} node(s) in public subnets, ${eips} Elastic IP(s), ${albAddresses} for internet-facing ALBs (one per AZ)`,
    addresses * H,
    PRICES.publicIpv4Hour,
  );

  add("kms-keys", `KMS customer managed keys (${s.storage.kmsKeys.length})`, s.storage.kmsKeys.length, PRICES.kmsKeyMonth);
  add(
    "s3-storage",
    `S3 data bucket storage (${s.storage.buckets.length} bucket(s) × ${NOMINAL.s3GbPerBucket} GB)`,
    s.storage.buckets.length * NOMINAL.s3GbPerBucket,
    PRICES.s3StandardGbMonth,
    "nominal: grows with snapshots and history",
  );
  add(
    "ecr-storage",
    `ECR image storage (${s.storage.repositories.length} repositories × ${NOMINAL.ecrGbPerRepository} GB)`,
    s.storage.repositories.length * NOMINAL.ecrGbPerRepository,
    PRICES.ecrGbMonth,
    "nominal",
  );
  add(
    "efs-storage",
    `EFS storage (${s.storage.fileSystems.length} file system(s) × ${NOMINAL.efsGbPerFileSystem} GB)`,
    s.storage.fileSystems.length * NOMINAL.efsGbPerFileSystem,
    PRICES.efsStandardGbMonth,
    "nominal",
  );

  const groups = s.storage.logGroups.length;
  add(
    "logs-ingestion",
    `CloudWatch Logs ingestion (${groups} log group(s) × ${NOMINAL.logIngestGbPerGroupMonth} GB/month)`,
    groups * NOMINAL.logIngestGbPerGroupMonth,
    PRICES.logsIngestGb,
    "nominal",
  );
  const storedGb = s.storage.logGroups.reduce((sum, g) => sum + NOMINAL.logIngestGbPerGroupMonth * logStorageMonths(g.retentionDays), 0);
  add("logs-storage", "CloudWatch Logs storage at steady state (ingestion × retention)", storedGb, PRICES.logsStorageGbMonth, "nominal");

  add("secrets", `Secrets Manager secrets (${s.storage.secrets.length})`, s.storage.secrets.length, PRICES.secretMonth);
  add("hosted-zones", `Route 53 hosted zones (${s.storage.hostedZones.length})`, s.storage.hostedZones.length, PRICES.hostedZoneMonth);

  return {
    currency: "USD",
    region: s.region,
    priceTableRegion: PRICE_TABLE_REGION,
    priceTableDate: PRICE_TABLE_DATE,
    regionFactor: factor,
    estimate: estimate || lines.some((l) => l.estimate),
    hoursPerMonth: H,
    lines,
    monthlyUsd: roundCents(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)),
  };
}

/** Months of logs kept at steady state: retention in months, capped (no retention = kept forever). */
export function logStorageMonths(retentionDays: number | null): number {
  if (!retentionDays) return NOMINAL.logStorageMaxMonths;
  return Math.min(retentionDays / 30, NOMINAL.logStorageMaxMonths);
}
