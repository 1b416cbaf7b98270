/**
 * Synthetic stack JSON for review tests: the `dev` environment as synthesized
 * today, plus the resources the network/cluster, add-ons and release stacks
 * add (shaped like cdktf's output), so the review is tested on a full
 * environment whatever the example stacks contain yet.
 */
import type { EnvironmentJson, StackJson } from "../../review/synth-output";
import { synthExample } from "../helpers/synth";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v ?? {}));

function add(stack: StackJson, type: string, name: string, config: Record<string, unknown>): void {
  stack.resource ??= {};
  stack.resource[type] ??= {};
  stack.resource[type][name] = config;
}

const POOLS_VALUES = `
nodePools:
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata:
      name: worker-cpu
    spec:
      limits:
        cpu: 256
        memory: 1024Gi
      template:
        metadata:
          labels:
            layer.hev.dev/node-role: worker-cpu
  - apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata:
      name: worker-gpu
    spec:
      limits:
        cpu: 128
        memory: 512Gi
        nvidia.com/gpu: 8
      template:
        metadata:
          labels:
            layer.hev.dev/node-role: worker-gpu
`;

const RELEASE_VALUES = `
s3:
  bucket: layer-dev-data-123456789012-us-east-1
gateway:
  image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev/gateway:0.1.0
ingress:
  enabled: true
  className: alb
  host: layer.dev.example.com
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS":443}]'
documentCache:
  autoRestartOnStopWrites: true
`;

/**
 * dev with a VPC in two zones (public worker subnets, no NAT), the EKS
 * cluster (1.33, public endpoint from one CIDR), its secrets key and log
 * group, one i4i.large system node, EFS, Karpenter with two pools, the load
 * balancer controller and the `layer` release with an internet-facing ingress.
 */
export function devWithCluster(): EnvironmentJson {
  const { aws: realAws, helm: realHelm } = synthExample("dev");
  const aws = clone(realAws) as StackJson;
  const helm = clone(realHelm) as StackJson;
  aws.provider ??= { aws: [{ region: "us-east-1" }] };
  // Keep only the bucket, registry and their keys from the real stack: the
  // rest of the environment is laid out below, so the hand calculation holds
  // whatever the example stacks gain.
  for (const [type, byName] of Object.entries(aws.resource ?? {})) {
    for (const name of Object.keys(byName)) {
      if (!/^(data_bucket|image_registry)/.test(name)) delete byName[name];
    }
    if (Object.keys(byName).length === 0) delete aws.resource![type];
  }
  delete helm.resource;

  add(aws, "aws_vpc", "network", { cidr_block: "10.42.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
  add(aws, "aws_internet_gateway", "network_internet_gateway", { vpc_id: "${aws_vpc.network.id}" });
  for (const [az, cidr] of [["us-east-1a", "10.42.0.0/20"], ["us-east-1b", "10.42.16.0/20"]]) {
    add(aws, "aws_subnet", `network_public_${az.replace(/-/g, "_")}`, {
      vpc_id: "${aws_vpc.network.id}",
      availability_zone: az,
      cidr_block: cidr,
      map_public_ip_on_launch: true,
    });
  }
  add(aws, "aws_route_table", "network_public_route_table", { vpc_id: "${aws_vpc.network.id}" });
  add(aws, "aws_route", "network_public_internet_route", {
    route_table_id: "${aws_route_table.network_public_route_table.id}",
    destination_cidr_block: "0.0.0.0/0",
    gateway_id: "${aws_internet_gateway.network_internet_gateway.id}",
  });
  for (const az of ["us_east_1a", "us_east_1b"]) {
    add(aws, "aws_route_table_association", `network_public_${az}_route_table`, {
      subnet_id: `\${aws_subnet.network_public_${az}.id}`,
      route_table_id: "${aws_route_table.network_public_route_table.id}",
    });
  }
  add(aws, "aws_vpc_endpoint", "network_s3_endpoint", { vpc_id: "${aws_vpc.network.id}", service_name: "com.amazonaws.us-east-1.s3", vpc_endpoint_type: "Gateway" });
  add(aws, "aws_kms_key", "cluster_secrets_key", { enable_key_rotation: true });
  add(aws, "aws_kms_key", "cluster_logs_key", { enable_key_rotation: true });
  add(aws, "aws_cloudwatch_log_group", "cluster_logs", { name: "/aws/eks/layer-dev/cluster", retention_in_days: 90, kms_key_id: "${aws_kms_key.cluster_logs_key.arn}" });
  add(aws, "aws_eks_cluster", "cluster", {
    name: "layer-dev",
    version: "1.33",
    role_arn: "${aws_iam_role.cluster_role.arn}",
    bootstrap_self_managed_addons: false,
    enabled_cluster_log_types: ["api", "audit", "authenticator"],
    vpc_config: {
      subnet_ids: ["${aws_subnet.network_public_us_east_1a.id}", "${aws_subnet.network_public_us_east_1b.id}"],
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ["203.0.113.0/24"],
    },
  });
  add(aws, "aws_launch_template", "system_nodes_launch_template", {
    name: "layer-dev-system",
    block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 50, volume_type: "gp3", encrypted: "true" } }],
    metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
  });
  add(aws, "aws_eks_node_group", "system_nodes", {
    cluster_name: "${aws_eks_cluster.cluster.name}",
    node_group_name: "system",
    instance_types: ["i4i.large"],
    capacity_type: "ON_DEMAND",
    scaling_config: [{ min_size: 1, desired_size: 1, max_size: 2 }],
    subnet_ids: ["${aws_subnet.network_public_us_east_1a.id}", "${aws_subnet.network_public_us_east_1b.id}"],
    launch_template: { id: "${aws_launch_template.system_nodes_launch_template.id}", version: "${aws_launch_template.system_nodes_launch_template.latest_version}" },
  });
  add(aws, "aws_kms_key", "efs_key", { enable_key_rotation: true });
  add(aws, "aws_efs_file_system", "efs", { creation_token: "layer-dev", encrypted: true, kms_key_id: "${aws_kms_key.efs_key.arn}" });
  add(aws, "aws_sqs_queue", "karpenter_interruptions", { name: "layer-dev-karpenter-interruptions", message_retention_seconds: 300 });

  add(helm, "helm_release", "karpenter_crd", { name: "karpenter-crd", chart: "karpenter-crd", repository: "oci://public.ecr.aws/karpenter", version: "1.14.1", namespace: "kube-system" });
  add(helm, "helm_release", "karpenter", { name: "karpenter", chart: "karpenter", repository: "oci://public.ecr.aws/karpenter", version: "1.14.1", namespace: "kube-system" });
  add(helm, "helm_release", "worker_pools", { name: "worker-pools", chart: "./charts/worker-pools", namespace: "kube-system", values: [POOLS_VALUES] });
  add(helm, "helm_release", "load_balancer_controller", { name: "aws-load-balancer-controller", chart: "aws-load-balancer-controller", repository: "https://aws.github.io/eks-charts", version: "3.5.0", namespace: "kube-system" });
  add(helm, "helm_release", "layer", { name: "layer", chart: "../infra/helm/layer", namespace: "layer", values: [RELEASE_VALUES] });
  return { name: "dev", stacks: { "layer-dev-aws": aws, "layer-dev-helm": helm } };
}

/** A copy with one resource's config edited or its address renamed. */
export function withResource(env: EnvironmentJson, stack: string, type: string, name: string, edit: (config: Record<string, any>) => Record<string, any> | undefined, renameTo?: string): EnvironmentJson {
  const copy = clone(env);
  const byName = copy.stacks[stack].resource![type];
  const edited = edit(byName[name]);
  delete byName[name];
  if (edited) byName[renameTo ?? name] = edited;
  return copy;
}

/**
 * The same environment with private worker subnets behind one NAT gateway:
 * public subnets stay (ALB, NAT) but no longer map public IPs; nodes move to
 * private subnets that route through the NAT gateway.
 */
export function withPrivateWorkers(env: EnvironmentJson): EnvironmentJson {
  const copy = clone(env);
  const aws = copy.stacks["layer-dev-aws"];
  const r = aws.resource!;
  for (const subnet of Object.values(r.aws_subnet)) subnet.map_public_ip_on_launch = false;
  add(aws, "aws_eip", "network_nat_us_east_1a_eip", { domain: "vpc" });
  add(aws, "aws_nat_gateway", "network_nat_us_east_1a", {
    allocation_id: "${aws_eip.network_nat_us_east_1a_eip.allocation_id}",
    subnet_id: "${aws_subnet.network_public_us_east_1a.id}",
  });
  const privateIds: string[] = [];
  for (const [az, cidr] of [["us-east-1a", "10.42.128.0/19"], ["us-east-1b", "10.42.160.0/19"]]) {
    const name = `network_private_${az.replace(/-/g, "_")}`;
    add(aws, "aws_subnet", name, { vpc_id: "${aws_vpc.network.id}", availability_zone: az, cidr_block: cidr, map_public_ip_on_launch: false });
    add(aws, "aws_route_table", `${name}_route_table`, { vpc_id: "${aws_vpc.network.id}" });
    add(aws, "aws_route", `${name}_nat_route`, { route_table_id: `\${aws_route_table.${name}_route_table.id}`, destination_cidr_block: "0.0.0.0/0", nat_gateway_id: "${aws_nat_gateway.network_nat_us_east_1a.id}" });
    add(aws, "aws_route_table_association", `${name}_route_table_association`, { subnet_id: `\${aws_subnet.${name}.id}`, route_table_id: `\${aws_route_table.${name}_route_table.id}` });
    privateIds.push(`\${aws_subnet.${name}.id}`);
  }
  r.aws_eks_node_group.system_nodes.subnet_ids = privateIds;
  return copy;
}
