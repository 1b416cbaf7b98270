/**
 * The nodes the stacks create: the system managed node group of the AWS
 * stack (labels, taints, instance type, scaling) and every rendered
 * Karpenter NodePool (template labels, taints, requirements, limits). In
 * existing-cluster and helm-only mode the platform team's nodes are a
 * prerequisite the simulation cannot see.
 */
import { Allocatable, allocatable } from "./instances";
import { RenderedObject, StackJson, blocks, isRecord, resourcesOf } from "./model";
import { Resources, cpuMillicores, memoryMiB } from "./quantity";

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** A label's possible values on a node: a known list, any value, or absent (undefined). */
export type LabelDomain = readonly string[] | "any" | undefined;

export interface NodeShape {
  /** `node group system`, `NodePool worker-cpu`. */
  readonly id: string;
  readonly kind: "node-group" | "node-pool";
  readonly address: string;
  readonly labels: Readonly<Record<string, LabelDomain>>;
  readonly taints: readonly Taint[];
  /** Nodes that run whether or not anything is pending (a node group's minimum). */
  readonly alwaysOn: number;
  readonly desired: number;
  readonly maxSize?: number;
  readonly instanceTypes: readonly string[];
  readonly allocatable?: Allocatable;
  readonly gpu: boolean;
  /** A pool's limits (CPU, memory, GPUs) over all its nodes. */
  readonly limits?: Partial<Resources>;
}

export type ClusterMode = "fresh-cluster" | "existing-cluster" | "helm-only";

export function modeOf(aws: StackJson | undefined): ClusterMode {
  if (!aws) return "helm-only";
  return resourcesOf(aws, "aws_eks_cluster").length > 0 ? "fresh-cluster" : "existing-cluster";
}

const TAINT_EFFECTS: Record<string, string> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

/** Labels every node has, whose value the simulation cannot pin. */
const ANY_VALUE_LABELS = ["kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region", "topology.k8s.aws/zone-id"];

/** The NodeConfig's `kubelet.config.maxPods` in a launch template's user data, when it sets one. */
function userDataMaxPods(userData: unknown): number | undefined {
  if (typeof userData !== "string") return undefined;
  let text = userData;
  try {
    if (/^[A-Za-z0-9+/=\s]+$/.test(userData)) text = Buffer.from(userData, "base64").toString("utf8");
  } catch {
    /* not base64: read as is */
  }
  const m = /maxPods:\s*(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Decoded user data of the launch template a node group references, for the storage check too. */
export function launchTemplateUserData(aws: StackJson | undefined, nodeGroup: Record<string, any>): string | undefined {
  const ref = /\$\{aws_launch_template\.([^.]+)\./.exec(String(blocks(nodeGroup.launch_template)[0]?.id ?? ""))?.[1];
  const lt = ref ? aws?.resource?.aws_launch_template?.[ref] : undefined;
  if (typeof lt?.user_data !== "string") return undefined;
  return /^[A-Za-z0-9+/=\s]+$/.test(lt.user_data) ? Buffer.from(lt.user_data, "base64").toString("utf8") : lt.user_data;
}

export function nodeGroupShapes(aws: StackJson | undefined): NodeShape[] {
  return resourcesOf(aws, "aws_eks_node_group").map(({ name, body }) => {
    const scaling = blocks(body.scaling_config)[0] ?? {};
    const instanceTypes: string[] = Array.isArray(body.instance_types) ? body.instance_types.map(String) : [];
    const arch = /ARM_64|arm64/i.test(String(body.ami_type ?? "")) ? "arm64" : "amd64";
    const groupName = String(body.node_group_name ?? name);
    const labels: Record<string, LabelDomain> = {
      "kubernetes.io/os": ["linux"],
      "kubernetes.io/arch": [arch],
      "node.kubernetes.io/instance-type": instanceTypes,
      "eks.amazonaws.com/nodegroup": [groupName],
      "eks.amazonaws.com/capacityType": [String(body.capacity_type ?? "ON_DEMAND")],
      ...Object.fromEntries(ANY_VALUE_LABELS.map((k) => [k, "any" as const])),
    };
    for (const [k, v] of Object.entries(isRecord(body.labels) ? body.labels : {})) labels[k] = [String(v)];
    const taints = blocks(body.taint).map((t) => ({
      key: String(t.key),
      value: t.value === undefined ? undefined : String(t.value),
      effect: TAINT_EFFECTS[String(t.effect)] ?? String(t.effect),
    }));
    const ltMaxPods = userDataMaxPods(launchTemplateUserData(aws, body));
    const first = instanceTypes[0];
    return {
      id: `node group ${groupName}`,
      kind: "node-group" as const,
      address: `aws_eks_node_group.${name}`,
      labels,
      taints,
      alwaysOn: Number(scaling.min_size ?? 0),
      desired: Number(scaling.desired_size ?? scaling.min_size ?? 0),
      maxSize: scaling.max_size === undefined ? undefined : Number(scaling.max_size),
      instanceTypes,
      allocatable: first ? allocatable(first, { maxPods: ltMaxPods }) : undefined,
      gpu: /GPU|NVIDIA|NEURON/i.test(String(body.ami_type ?? "")),
    };
  });
}

/** Well-known labels Karpenter sets from the instance it picks: any value unless a requirement narrows it. */
const KARPENTER_INSTANCE_LABELS = /^(karpenter\.k8s\.aws\/|node\.kubernetes\.io\/instance-type$|karpenter\.sh\/capacity-type$)/;

export function nodePoolShapes(objects: readonly RenderedObject[]): NodeShape[] {
  const out: NodeShape[] = [];
  for (const { object, origin } of objects) {
    if (object.kind !== "NodePool" || !String(object.apiVersion).startsWith("karpenter.sh/")) continue;
    const name = String(object.metadata.name);
    const template = object.spec?.template ?? {};
    const labels: Record<string, LabelDomain> = {
      "kubernetes.io/os": ["linux"],
      "kubernetes.io/arch": ["amd64"],
      "karpenter.sh/nodepool": [name],
      "karpenter.sh/capacity-type": ["on-demand"],
      ...Object.fromEntries(ANY_VALUE_LABELS.map((k) => [k, "any" as const])),
    };
    for (const [k, v] of Object.entries(isRecord(template.metadata?.labels) ? template.metadata.labels : {})) labels[k] = [String(v)];
    let gpu = false;
    for (const r of Array.isArray(template.spec?.requirements) ? template.spec.requirements : []) {
      const key = String(r?.key);
      const values: string[] = Array.isArray(r?.values) ? r.values.map(String) : [];
      if (r?.operator === "In") labels[key] = values;
      else if (r?.operator === "DoesNotExist") delete labels[key];
      else labels[key] = "any";
      if (key === "karpenter.k8s.aws/instance-family" && r?.operator === "In" && values.length > 0 && values.every((f) => /^(g|p)\d/.test(f))) gpu = true;
      if (key === "karpenter.k8s.aws/instance-category" && r?.operator === "In" && values.length > 0 && values.every((c) => c === "g" || c === "p")) gpu = true;
      if (key === "karpenter.k8s.aws/instance-gpu-count" && r?.operator === "Gt") gpu = true;
    }
    const limits = isRecord(object.spec?.limits) ? object.spec.limits : {};
    if (limits["nvidia.com/gpu"] !== undefined && Number(limits["nvidia.com/gpu"]) > 0) gpu = true;
    const taints = (Array.isArray(template.spec?.taints) ? template.spec.taints : []).map((t: any) => ({
      key: String(t.key),
      value: t.value === undefined ? undefined : String(t.value),
      effect: String(t.effect),
    }));
    out.push({
      id: `NodePool ${name}`,
      kind: "node-pool",
      address: origin.address,
      labels,
      taints,
      alwaysOn: 0,
      desired: 0,
      instanceTypes: [],
      gpu,
      limits: {
        ...(limits.cpu !== undefined ? { cpuMillicores: cpuMillicores(limits.cpu) } : {}),
        ...(limits.memory !== undefined ? { memoryMiB: memoryMiB(limits.memory) } : {}),
        ...(limits["nvidia.com/gpu"] !== undefined ? { gpus: Number(limits["nvidia.com/gpu"]) } : {}),
      },
    });
  }
  return out;
}

/** A label of a pool that Karpenter fills in from the instance it launches. */
export function labelDomain(node: NodeShape, key: string): LabelDomain {
  if (key in node.labels) return node.labels[key];
  if (node.kind === "node-pool" && KARPENTER_INSTANCE_LABELS.test(key)) return "any";
  return undefined;
}
