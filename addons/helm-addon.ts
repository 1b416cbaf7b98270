import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { stringify } from "yaml";
import { renderValues } from "../constructs/helm-values";
import { PodPlacement, Toleration, systemPlacement } from "../config/node-roles";
import type { AddonChart } from "./catalog";

/** How the values document is written: in the builder's key order (readable in plans) or with sorted map keys. */
export type ValuesLayout = "as-written" | "sorted";

/** What a `system-nodes` chart keeps next to the system node placement. */
export interface SystemPlacementOptions {
  /** Tolerations kept before the system taint's (upstream's `CriticalAddonsOnly`). @default [] */
  readonly extraTolerations?: readonly Toleration[];
  /** Labels selected besides the node role (`kubernetes.io/os: linux`). @default {} */
  readonly extraNodeSelector?: Readonly<Record<string, string>>;
}

export interface HelmAddonReleaseProps {
  /** Release name, chart, repository, namespace and placement, from the add-on's catalog. */
  readonly chart: AddonChart;
  /** The exact chart version. @default none (a chart of this project, read from its path) */
  readonly version?: string;
  /**
   * The chart's values, given where the base places the pods: a
   * `system-nodes` chart gets the system node selector and tolerations and
   * puts them where its values.yaml keeps them; a chart whose pods run
   * elsewhere (`gpu-nodes`, `no-pods`) gets an empty placement and places
   * its own. @default no values
   */
  readonly values?: (placement: PodPlacement) => object;
  /** @default none */
  readonly systemPlacement?: SystemPlacementOptions;
  /** @default "as-written" */
  readonly valuesLayout?: ValuesLayout;
  /** Wait until the release's resources are ready (a webhook or controller others need). @default false */
  readonly wait?: boolean;
  /** The chart's CRDs come from another release. @default false */
  readonly skipCrds?: boolean;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** The system node placement of a chart, or undefined when its pods do not run there. */
export function chartPlacement(chart: AddonChart, options: SystemPlacementOptions = {}): PodPlacement | undefined {
  return chart.placement === "system-nodes" ? systemPlacement(options.extraTolerations, options.extraNodeSelector) : undefined;
}

/**
 * The shared base of every add-on's Helm half: one `helm_release` with the
 * catalog's chart coordinates and namespace, the pinned version, the values
 * (with the pods on the system nodes for a `system-nodes` chart) and its
 * dependencies. It is the release itself, not a wrapper, so an add-on's
 * resource address stays the construct path it always had.
 */
export class HelmAddonRelease extends Release {
  constructor(scope: Construct, id: string, props: HelmAddonReleaseProps) {
    const { chart } = props;
    const placement = chartPlacement(chart, props.systemPlacement);
    if (placement && !props.values) throw new Error(`${chart.releaseName}: a chart whose pods run on the system nodes needs values that place them there`);
    const values = props.values?.(placement ?? { nodeSelector: {}, tolerations: [] });
    super(scope, id, {
      name: chart.releaseName,
      namespace: chart.namespace,
      ...(chart.createNamespace ? { createNamespace: true } : {}),
      ...(chart.repository ? { repository: chart.repository } : {}),
      chart: chart.chart,
      ...(props.version !== undefined ? { version: props.version } : {}),
      ...(props.skipCrds ? { skipCrds: true } : {}),
      ...(props.wait ? { wait: true } : {}),
      ...(values ? { values: [renderAddonValues(values, props.valuesLayout ?? "as-written")] } : {}),
      dependsOn: props.dependsOn,
    });
  }
}

export function renderAddonValues(values: object, layout: ValuesLayout): string {
  return layout === "sorted" ? stringify(values, { sortMapEntries: true }) : renderValues(values);
}
