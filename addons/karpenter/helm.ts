import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { CRITICAL_ADDONS_TOLERATION, PodPlacement } from "../../config/node-roles";
import { HelmAddonRelease, SystemPlacementOptions, chartPlacement } from "../helm-addon";
import { KARPENTER_CHART, KARPENTER_CRD_CHART, KARPENTER_SERVICE_ACCOUNT } from "./catalog";

/** The controller keeps upstream's CriticalAddonsOnly toleration and runs on Linux nodes only. */
export const KARPENTER_PLACEMENT: SystemPlacementOptions = {
  extraTolerations: [CRITICAL_ADDONS_TOLERATION],
  extraNodeSelector: { "kubernetes.io/os": "linux" },
};

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
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Values for the `karpenter` chart (keys checked against the chart's
 * values.yaml in test/addons/karpenter-helm.test.ts).
 *
 * The controllers stay on the system node group, never on nodes Karpenter
 * launches. The chart's default of two replicas with required hostname
 * anti-affinity leaves one Pending on a single i4i.large, so replicas come
 * from the caller (min(2, system node group minSize)) and the zone spread is
 * a preference.
 */
export function karpenterValues(
  props: KarpenterReleaseProps,
  placement: PodPlacement = chartPlacement(KARPENTER_CHART, KARPENTER_PLACEMENT)!,
): Record<string, unknown> {
  return {
    replicas: props.replicas ?? 1,
    serviceAccount: {
      create: true,
      name: KARPENTER_SERVICE_ACCOUNT.name,
      annotations: { "eks.amazonaws.com/role-arn": props.controllerRoleArn },
    },
    nodeSelector: placement.nodeSelector,
    tolerations: placement.tolerations,
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

  constructor(scope: Construct, id: string, props: KarpenterReleaseProps) {
    super(scope, id);
    this.crds = new HelmAddonRelease(this, "crd", { chart: KARPENTER_CRD_CHART, version: props.chartVersion, dependsOn: props.dependsOn });
    this.controller = new HelmAddonRelease(this, "default", {
      chart: KARPENTER_CHART,
      version: props.chartVersion,
      skipCrds: true,
      wait: true,
      systemPlacement: KARPENTER_PLACEMENT,
      values: (placement) => karpenterValues(props, placement),
      dependsOn: [this.crds],
    });
  }
}
