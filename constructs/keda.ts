import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { stringify } from "yaml";
import { systemPlacement } from "../config/node-roles";

export const KEDA_CHART = { repository: "https://kedacore.github.io/charts", chart: "keda" } as const;
export const KEDA_NAMESPACE = "keda";

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
    this.release = new Release(this, "default", {
      name: "keda",
      namespace: KEDA_NAMESPACE,
      createNamespace: true,
      repository: KEDA_CHART.repository,
      chart: KEDA_CHART.chart,
      version: props.chartVersion,
      values: [stringify(kedaValues(), { sortMapEntries: true })],
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
export function kedaValues(): Record<string, unknown> {
  const requests = () => ({ requests: { cpu: KEDA_CPU_REQUEST } });
  return { ...systemPlacement(), resources: { operator: requests(), metricServer: requests(), webhooks: requests() } };
}

/** CPU request of each KEDA pod (the chart's memory requests and limits stay). */
export const KEDA_CPU_REQUEST = "25m";
