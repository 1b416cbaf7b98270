/**
 * A Mermaid flowchart of an environment, drawn from its inventory, for the
 * review comment (GitHub renders ```mermaid blocks): the VPC with its subnets
 * per zone, the cluster with node groups and Karpenter pools, the bucket, ECR,
 * EFS, the load balancer path to the gateway, and the Helm releases.
 */
import { addonReleaseAddresses } from "./addons";
import type { Inventory } from "./inventory";

export function diagram(envName: string, inv: Inventory): string {
  const s = inv.settings;
  const lines: string[] = ["flowchart LR"];
  const declared = new Set<string>();
  const node = (indent: string, id: string, label: string, shape: "box" | "round" | "db" | "circle" = "box") => {
    declared.add(id);
    const text = `"${escapeLabel(label)}"`;
    const shaped = shape === "db" ? `[(${text})]` : shape === "round" ? `(${text})` : shape === "circle" ? `((${text}))` : `[${text}]`;
    lines.push(`${indent}${id}${shaped}`);
  };
  const edges: string[] = [];
  const edge = (from: string, to: string, label?: string, dotted = false) => {
    const arrow = dotted ? "-.->" : "-->";
    edges.push(`  ${from} ${arrow}${label ? `|"${escapeLabel(label)}"|` : ""} ${to}`);
  };

  node("  ", "clients", "clients", "circle");
  lines.push(`  subgraph aws["AWS ${escapeLabel(s.region ?? "")} · ${escapeLabel(envName)}"]`);

  // Network: one subgraph per VPC, one per zone inside it.
  const subnetIds = new Map<string, string>();
  s.network.vpcs.forEach((vpc) => {
    const vpcId = id("vpc", vpc.address);
    lines.push(`    subgraph ${vpcId}["VPC ${escapeLabel(vpc.cidr ?? "")}"]`);
    declared.add(vpcId);
    const zones = [...new Set(s.network.subnets.map((x) => x.availabilityZone ?? "zone"))].sort();
    for (const zone of zones) {
      const zoneId = id("az", zone);
      lines.push(`      subgraph ${zoneId}["${escapeLabel(zone)}"]`);
      declared.add(zoneId);
      for (const subnet of s.network.subnets.filter((x) => (x.availabilityZone ?? "zone") === zone)) {
        const subnetId = id("subnet", subnet.address);
        subnetIds.set(subnet.address, subnetId);
        node("        ", subnetId, `${subnet.public ? "public" : "private"} subnet ${subnet.cidr ?? ""}`);
      }
      for (const nat of s.network.natGateways.filter((n) => n.subnet && s.network.subnets.find((x) => x.address === n.subnet)?.availabilityZone === zone)) {
        const natId = id("nat", nat.address);
        node("        ", natId, "NAT gateway");
        edge(natId, subnetIds.get(nat.subnet!)!, "in", true);
      }
      lines.push("      end");
    }
    for (const nat of s.network.natGateways.filter((n) => !n.subnet || !subnetIds.has(n.subnet))) node("      ", id("nat", nat.address), "NAT gateway");
    const interfaces = s.network.endpoints.filter((e) => e.type === "Interface");
    if (interfaces.length > 0) {
      node("      ", "interface_endpoints", `interface endpoints: ${interfaces.map((e) => e.service?.split(".").slice(3).join(".") ?? e.address).join(", ")}`);
    }
    if (s.network.endpoints.some((e) => e.type !== "Interface")) node("      ", "s3_endpoint", "S3 gateway endpoint", "round");
    lines.push("    end");
  });

  // Compute.
  const clusterIds: string[] = [];
  for (const cluster of s.clusters) {
    const clusterId = id("cluster", cluster.address);
    clusterIds.push(clusterId);
    const detail = cluster.created
      ? `EKS ${cluster.name ?? ""} · Kubernetes ${cluster.kubernetesVersion ?? "?"}${cluster.endpointPublicAccess ? ` · public API ${cluster.publicAccessCidrs.join(" ")}` : " · private API"}`
      : `existing EKS cluster ${cluster.name ?? ""}`;
    node("    ", clusterId, detail, "round");
  }
  const mainCluster = clusterIds[0];
  for (const group of s.nodeGroups) {
    const groupId = id("nodegroup", group.address);
    node(
      "    ",
      groupId,
      `node group ${group.name ?? ""}: ${group.desiredSize} × ${group.instanceTypes.join("/")} (min ${group.minSize}, max ${group.maxSize})`,
    );
    if (mainCluster) edge(mainCluster, groupId);
    for (const subnetAddress of group.subnets) {
      const subnetId = subnetIds.get(subnetAddress);
      if (subnetId) edge(groupId, subnetId, "runs in", true);
    }
  }
  for (const pool of s.karpenterPools) {
    const poolId = id("pool", pool.name);
    const limits = Object.entries(pool.limits)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    node("    ", poolId, `Karpenter pool ${pool.name}: 0 at idle${limits ? ` · limits ${limits}` : ""}`);
    if (mainCluster) edge(mainCluster, poolId, "scales", true);
  }

  // Data.
  for (const bucket of s.storage.buckets) node("    ", id("bucket", bucket.address), `S3 ${bucket.name ?? bucket.address}`, "db");
  if (s.storage.repositories.length > 0) node("    ", "ecr", `ECR: ${s.storage.repositories.map((r) => r.name ?? r.address).join(", ")}`, "db");
  for (const fs of s.storage.fileSystems) node("    ", id("efs", fs.address), "EFS shared volumes", "db");

  // Releases and the path from clients to the gateway.
  const product = s.charts.find((c) => c.name === "layer") ?? null;
  const ofAddons = addonReleaseAddresses(s.addons);
  const otherCharts = s.charts.filter((c) => c !== product && !ofAddons.has(c.address));
  if (s.addons.length + otherCharts.length > 0) {
    lines.push(`    subgraph addons["cluster add-ons (Helm)"]`);
    declared.add("addons");
    // One node per add-on of addons/catalog.ts, naming its releases and versions.
    for (const addon of s.addons)
      node("      ", id("addon", addon.addon), `${addon.addon}: ${addon.releases.map((r) => `${r.release}${r.version ? ` ${r.version}` : ""}`).join(", ")}`);
    for (const chart of otherCharts) node("      ", id("release", chart.address), `${chart.name ?? chart.address} ${chart.version ?? ""}`.trim());
    lines.push("    end");
    if (mainCluster) edge(mainCluster, "addons");
  }
  let gateway: string | undefined;
  if (product) {
    gateway = id("release", product.address);
    node("    ", gateway, `release ${product.name}: gateway, operator, document cache${product.version ? ` · chart ${product.version}` : ""}`);
    if (mainCluster) edge(mainCluster, gateway);
  }
  s.ingresses.forEach((ingress, i) => {
    const albId = `alb_${i}`;
    node("    ", albId, `ALB ${ingress.scheme}${ingress.host ? ` · ${ingress.host}` : ""}`);
    edge("clients", albId, "HTTPS");
    const target = gateway ?? mainCluster;
    if (target) edge(albId, target);
  });
  lines.push("  end");

  const firstBucket = s.storage.buckets[0] ? id("bucket", s.storage.buckets[0].address) : undefined;
  const reader = gateway ?? mainCluster;
  if (reader && firstBucket) {
    if (declared.has("s3_endpoint")) {
      edge(reader, "s3_endpoint", "snapshots, history");
      edge("s3_endpoint", firstBucket);
    } else edge(reader, firstBucket, "snapshots, history");
  }
  const pullers = s.nodeGroups.length > 0 ? id("nodegroup", s.nodeGroups[0].address) : mainCluster;
  if (declared.has("ecr") && pullers) edge("ecr", pullers, "images", true);
  for (const fs of s.storage.fileSystems) if (mainCluster) edge(mainCluster, id("efs", fs.address), "mounts", true);

  return [...lines, ...edges].join("\n");
}

/** Mermaid ids: letters, digits and underscores; prefixed so none is a keyword such as `end`. */
function id(kind: string, name: string): string {
  return `${kind}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** Labels are quoted; quotes become Mermaid's entity, brackets are harmless inside quotes. */
function escapeLabel(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/\n/g, " ");
}
