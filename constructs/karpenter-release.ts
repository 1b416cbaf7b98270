import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { renderValues } from "./helm-values";
import { CRITICAL_ADDONS_TOLERATION, SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATION, Toleration } from "../config/node-roles";

/** Karpenter's charts, pulled anonymously from public ECR (no registry token that changes every plan). */
export const KARPENTER_CHART_REPOSITORY = "oci://public.ecr.aws/karpenter";

export interface KarpenterReleaseProps {
  readonly clusterName: string;
  readonly region: string;
  readonly interruptionQueueName: string;
  /** The controller's IRSA role (rebuilt from its name: config/naming.ts). */
  readonly controllerRoleArn: string;
  /** Exact chart version of both `karpenter-crd` and `karpenter`. */
  readonly chartVersion: string;
  /** Controller replicas; at most the number of always-on system nodes. @default 1 */
  readonly replicas?: number;
  /** Node label selecting the system node group. @default { "layer.hev.dev/node-role": "system" } */
  readonly nodeSelector?: Record<string, string>;
  /** @default the chart's CriticalAddonsOnly and the system nodes' taint */
  readonly tolerations?: readonly Toleration[];
  /** @default "kube-system" */
  readonly namespace?: string;
  /** @default "karpenter" */
  readonly serviceAccountName?: string;
}

/**
 * Values for the `karpenter` chart (keys checked against the chart's
 * values.yaml in test/constructs/karpenter-release.test.ts).
 *
 * The controllers stay on the system node group, never on nodes Karpenter
 * launches. The chart's default of two replicas with required hostname
 * anti-affinity leaves one Pending on a single i4i.large, so replicas come
 * from the caller (min(2, system node group minSize)) and the zone spread is
 * a preference.
 */
export function karpenterValues(props: KarpenterReleaseProps): Record<string, unknown> {
  return {
    replicas: props.replicas ?? 1,
    serviceAccount: {
      create: true,
      name: props.serviceAccountName ?? "karpenter",
      annotations: { "eks.amazonaws.com/role-arn": props.controllerRoleArn },
    },
    nodeSelector: { "kubernetes.io/os": "linux", ...(props.nodeSelector ?? SYSTEM_NODE_SELECTOR) },
    tolerations: [...(props.tolerations ?? [CRITICAL_ADDONS_TOLERATION, SYSTEM_TOLERATION])],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] }],
        },
      },
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }],
      },
    },
    topologySpreadConstraints: [
      // The chart fills in label selectors from the pod's own labels.
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" },
    ],
    podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
    controller: {
      // Pods cannot reach IMDS (hop limit 1): the region is given, not discovered.
      env: [{ name: "AWS_REGION", value: props.region }],
    },
    settings: {
      clusterName: props.clusterName,
      interruptionQueue: props.interruptionQueueName,
    },
  };
}

/**
 * Karpenter in the cluster: `karpenter-crd` (so CRD upgrades follow the
 * chart version), then the controller with `skip_crds`.
 */
export class KarpenterRelease extends Construct {
  readonly crds: Release;
  readonly controller: Release;

  constructor(scope: Construct, id: string, props: KarpenterReleaseProps & { readonly dependsOn?: ITerraformDependable[] }) {
    super(scope, id);
    const namespace = props.namespace ?? "kube-system";
    this.crds = new Release(this, "crd", {
      name: "karpenter-crd",
      namespace,
      repository: KARPENTER_CHART_REPOSITORY,
      chart: "karpenter-crd",
      version: props.chartVersion,
      dependsOn: props.dependsOn,
    });
    this.controller = new Release(this, "default", {
      name: "karpenter",
      namespace,
      repository: KARPENTER_CHART_REPOSITORY,
      chart: "karpenter",
      version: props.chartVersion,
      skipCrds: true,
      wait: true,
      values: [renderValues(karpenterValues(props))],
      dependsOn: [this.crds],
    });
  }
}
