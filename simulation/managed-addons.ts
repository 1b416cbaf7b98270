/**
 * The pods of the EKS managed add-ons (`aws_eks_addon`), which no chart in
 * the stacks renders. Requests, replicas and placement are the add-ons'
 * documented defaults; an add-on's `configuration_values` (tolerations,
 * nodeSelector, affinity, replicaCount, resources) are applied on top, as
 * EKS applies them.
 */
import { KubeObject, RenderedObject, StackJson, isRecord, resourcesOf } from "./model";

interface ContainerDefault {
  readonly name: string;
  readonly requests?: { cpu?: string; memory?: string };
}

interface PodDefault {
  readonly kind: "DaemonSet" | "Deployment";
  readonly name: string;
  readonly serviceAccountName: string;
  readonly replicas?: number;
  readonly containers: readonly ContainerDefault[];
  readonly tolerations: readonly Record<string, string>[];
  /** Where this pod's settings sit in the add-on's configuration schema ("" = top level). */
  readonly configPrefix: string;
}

interface AddonDefault {
  /** Where the defaults come from. */
  readonly source: string;
  readonly pods: readonly PodDefault[];
}

const TOLERATE_ALL = [{ operator: "Exists" }];

export const MANAGED_ADDON_DEFAULTS: Record<string, AddonDefault> = {
  "vpc-cni": {
    // aws-node requests cpu 25m and tolerates every taint: amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml
    // and config/master/aws-k8s-cni.yaml (the manifest EKS installs); the network policy agent sets no requests.
    source: "https://github.com/aws/amazon-vpc-cni-k8s/blob/master/charts/aws-vpc-cni/values.yaml",
    pods: [
      {
        kind: "DaemonSet",
        name: "aws-node",
        serviceAccountName: "aws-node",
        containers: [{ name: "aws-node", requests: { cpu: "25m" } }, { name: "aws-eks-nodeagent" }],
        tolerations: TOLERATE_ALL,
        configPrefix: "",
      },
    ],
  },
  "kube-proxy": {
    // EKS kube-proxy DaemonSet: requests cpu 100m, tolerates every taint
    // (https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html, the add-on's default manifest).
    source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html",
    pods: [
      {
        kind: "DaemonSet",
        name: "kube-proxy",
        serviceAccountName: "kube-proxy",
        containers: [{ name: "kube-proxy", requests: { cpu: "100m" } }],
        tolerations: TOLERATE_ALL,
        configPrefix: "",
      },
    ],
  },
  coredns: {
    // EKS CoreDNS: 2 replicas, requests cpu 100m / memory 70Mi, tolerates CriticalAddonsOnly and the
    // control-plane taint only (https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html).
    source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html",
    pods: [
      {
        kind: "Deployment",
        name: "coredns",
        serviceAccountName: "coredns",
        replicas: 2,
        containers: [{ name: "coredns", requests: { cpu: "100m", memory: "70Mi" } }],
        tolerations: [
          { key: "CriticalAddonsOnly", operator: "Exists" },
          { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
        ],
        configPrefix: "",
      },
    ],
  },
  "eks-pod-identity-agent": {
    // No requests (`resources: {}`), tolerates every taint: aws/eks-pod-identity-agent charts/eks-pod-identity-agent/values.yaml.
    source: "https://github.com/aws/eks-pod-identity-agent/blob/main/charts/eks-pod-identity-agent/values.yaml",
    pods: [
      {
        kind: "DaemonSet",
        name: "eks-pod-identity-agent",
        serviceAccountName: "default",
        containers: [{ name: "eks-pod-identity-agent" }],
        tolerations: TOLERATE_ALL,
        configPrefix: "",
      },
    ],
  },
  "aws-efs-csi-driver": {
    // aws-efs-csi-driver chart 4.4.1 values.yaml: controller 2 replicas tolerating CriticalAddonsOnly and
    // efs.csi.aws.com/agent-not-ready, node DaemonSet tolerating everything, no requests anywhere.
    source: "https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/charts/aws-efs-csi-driver/values.yaml",
    pods: [
      {
        kind: "Deployment",
        name: "efs-csi-controller",
        serviceAccountName: "efs-csi-controller-sa",
        replicas: 2,
        containers: [{ name: "efs-plugin" }, { name: "csi-provisioner" }, { name: "liveness-probe" }],
        tolerations: [
          { key: "CriticalAddonsOnly", operator: "Exists" },
          { key: "efs.csi.aws.com/agent-not-ready", operator: "Exists" },
        ],
        configPrefix: "controller",
      },
      {
        kind: "DaemonSet",
        name: "efs-csi-node",
        serviceAccountName: "efs-csi-node-sa",
        containers: [{ name: "efs-plugin" }, { name: "csi-driver-registrar" }, { name: "liveness-probe" }],
        tolerations: TOLERATE_ALL,
        configPrefix: "node",
      },
    ],
  },
};

/** The ServiceAccounts an add-on's `service_account_role_arn` is given to. */
export function managedAddonServiceAccounts(addonName: string): string[] {
  return (MANAGED_ADDON_DEFAULTS[addonName]?.pods ?? []).map((p) => `kube-system/${p.serviceAccountName}`);
}

/** The add-on's `configuration_values` as JSON; undefined when it is a Terraform expression the simulation cannot evaluate. */
function configurationOf(body: Record<string, any>): Record<string, any> | undefined {
  if (body.configuration_values === undefined) return {};
  try {
    const parsed = JSON.parse(String(body.configuration_values)) as unknown;
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Pod-level objects for every `aws_eks_addon` of the AWS stack, plus add-ons it names without defaults. */
export function managedAddonObjects(aws: StackJson | undefined): { objects: RenderedObject[]; unknownAddons: string[]; unreadableConfiguration: string[] } {
  const objects: RenderedObject[] = [];
  const unknownAddons: string[] = [];
  const unreadableConfiguration: string[] = [];
  for (const { name, body } of resourcesOf(aws, "aws_eks_addon")) {
    const addonName = String(body.addon_name);
    const defaults = MANAGED_ADDON_DEFAULTS[addonName];
    if (!defaults) {
      unknownAddons.push(addonName);
      continue;
    }
    const parsed = configurationOf(body);
    if (!parsed) unreadableConfiguration.push(addonName);
    const config = parsed ?? {};
    for (const pod of defaults.pods) {
      const c: Record<string, any> = pod.configPrefix ? (isRecord(config[pod.configPrefix]) ? config[pod.configPrefix] : {}) : config;
      const resources = isRecord(c.resources) ? c.resources : undefined;
      const containers = pod.containers.map((ct, i) => ({
        name: ct.name,
        resources: i === 0 && resources ? resources : ct.requests ? { requests: ct.requests } : {},
      }));
      const template = {
        metadata: { labels: { "app.kubernetes.io/name": pod.name } },
        spec: {
          serviceAccountName: pod.serviceAccountName,
          containers,
          tolerations: Array.isArray(c.tolerations) ? c.tolerations : pod.tolerations,
          ...(isRecord(c.nodeSelector) ? { nodeSelector: c.nodeSelector } : {}),
          ...(isRecord(c.affinity) ? { affinity: c.affinity } : {}),
        },
      };
      const object: KubeObject = {
        apiVersion: "apps/v1",
        kind: pod.kind,
        metadata: { name: pod.name, namespace: "kube-system" },
        spec: { ...(pod.kind === "Deployment" ? { replicas: typeof c.replicaCount === "number" ? c.replicaCount : (pod.replicas ?? 1) } : {}), template },
      };
      objects.push({ object, origin: { address: `aws_eks_addon.${name}`, chart: `EKS add-on ${addonName}` } });
    }
  }
  return { objects, unknownAddons, unreadableConfiguration };
}
