import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import type { PodPlacement } from "../../config/node-roles";
import { HelmAddonRelease, chartPlacement } from "../helm-addon";
import { KEDA_CHART } from "./catalog";

export interface KedaProps {
  /** Exact chart version. */
  readonly chartVersion: string;
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * KEDA scales the operator's worker deployments to zero and back with load;
 * Karpenter then adds or removes worker nodes. KEDA itself runs on the
 * always-on system node group, in its own namespace.
 */
export class Keda extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: KedaProps) {
    super(scope, id);
    this.release = new HelmAddonRelease(this, "default", {
      chart: KEDA_CHART,
      version: props.chartVersion,
      values: (placement) => kedaValues(placement),
      valuesLayout: "sorted",
      dependsOn: props.dependsOn,
    });
  }
}

/**
 * The chart's top-level `nodeSelector` and `tolerations` apply to the
 * operator, the metrics server and the webhooks (2.20 lets each override
 * them, falling back to the top level); replica counts already default to one.
 * Each requests 25m CPU instead of the chart's generic 100m: all three idle
 * at a few millicores, and the 225m saved is 12 % of the one system node
 * (measured by `npm run simulate`, docs/simulation.md).
 */
export function kedaValues(placement: PodPlacement = chartPlacement(KEDA_CHART)!): Record<string, unknown> {
  const requests = () => ({ requests: { cpu: KEDA_CPU_REQUEST } });
  return { ...placement, resources: { operator: requests(), metricServer: requests(), webhooks: requests() } };
}

/** CPU request of each KEDA pod (the chart's memory requests and limits stay). */
export const KEDA_CPU_REQUEST = "25m";
