import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import type { PodPlacement } from "../../config/node-roles";
import { HelmAddonRelease, chartPlacement } from "../helm-addon";
import { LOAD_BALANCER_CONTROLLER_CHART, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "./catalog";

export interface LoadBalancerControllerReleaseProps {
  readonly clusterName: string;
  readonly region: string;
  /** The cluster's VPC: pods cannot reach IMDS to discover it (hop limit 1). */
  readonly vpcId: string;
  readonly roleArn: string;
  readonly chartVersion: string;
  /** @default 1 */
  readonly replicas?: number;
  /** Tags on every load balancer and target group the controller creates (cost allocation). @default {} */
  readonly defaultTags?: Record<string, string>;
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Spec of the `alb` class's IngressClassParams: ALB settings for Ingresses
   * whose chart cannot annotate them (the product chart's). @default none
   */
  readonly ingressClassParamsSpec?: Record<string, unknown>;
}

/**
 * Values for the `aws-load-balancer-controller` chart (keys checked against
 * the chart's values.yaml in a test). Region and VPC are explicit because the
 * controller cannot read them from IMDS at hop limit 1.
 */
export function loadBalancerControllerValues(
  props: LoadBalancerControllerReleaseProps,
  placement: PodPlacement = chartPlacement(LOAD_BALANCER_CONTROLLER_CHART)!,
): Record<string, unknown> {
  return {
    replicaCount: props.replicas ?? 1,
    clusterName: props.clusterName,
    region: props.region,
    vpcId: props.vpcId,
    serviceAccount: {
      create: true,
      name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
      annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
    },
    ingressClass: "alb",
    createIngressClassResource: true,
    // Kept on, explicitly: LoadBalancer Services get this controller's NLBs, which the teardown's gate sees.
    // Its failurePolicy is Fail, so Service-creating releases wait for this one (docs/cluster-addons.md).
    enableServiceMutatorWebhook: true,
    ...(props.ingressClassParamsSpec ? { ingressClassParams: { create: true, spec: props.ingressClassParamsSpec } } : {}),
    nodeSelector: placement.nodeSelector,
    tolerations: placement.tolerations,
    defaultTags: props.defaultTags ?? {},
  };
}

/** The AWS Load Balancer Controller: ALBs for Ingresses of class `alb`. */
export class LoadBalancerControllerRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerReleaseProps) {
    super(scope, id);
    this.release = new HelmAddonRelease(this, "default", {
      chart: LOAD_BALANCER_CONTROLLER_CHART,
      version: props.chartVersion,
      // Later releases wait for its Service webhook to answer.
      wait: true,
      values: (placement) => loadBalancerControllerValues(props, placement),
      dependsOn: props.dependsOn,
    });
  }
}
