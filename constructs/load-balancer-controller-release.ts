import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { renderValues } from "./helm-values";
import { SYSTEM_NODE_SELECTOR, SYSTEM_TOLERATION, Toleration } from "../config/node-roles";

export const EKS_CHARTS_REPOSITORY = "https://aws.github.io/eks-charts";

export interface LoadBalancerControllerReleaseProps {
  readonly clusterName: string;
  readonly region: string;
  /** The cluster's VPC: pods cannot reach IMDS to discover it (hop limit 1). */
  readonly vpcId: string;
  readonly roleArn: string;
  readonly chartVersion: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default { "layer.hev.dev/node-role": "system" } */
  readonly nodeSelector?: Record<string, string>;
  /** @default the system nodes' taint */
  readonly tolerations?: readonly Toleration[];
  /** Tags on every load balancer and target group the controller creates (cost allocation). @default {} */
  readonly defaultTags?: Record<string, string>;
  /** @default "aws-load-balancer-controller" */
  readonly serviceAccountName?: string;
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
export function loadBalancerControllerValues(props: LoadBalancerControllerReleaseProps): Record<string, unknown> {
  return {
    replicaCount: props.replicas ?? 1,
    clusterName: props.clusterName,
    region: props.region,
    vpcId: props.vpcId,
    serviceAccount: {
      create: true,
      name: props.serviceAccountName ?? "aws-load-balancer-controller",
      annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
    },
    ingressClass: "alb",
    createIngressClassResource: true,
    // Kept on, explicitly: LoadBalancer Services get this controller's NLBs, which the teardown's gate sees.
    // Its failurePolicy is Fail, so Service-creating releases wait for this one (docs/cluster-addons.md).
    enableServiceMutatorWebhook: true,
    ...(props.ingressClassParamsSpec ? { ingressClassParams: { create: true, spec: props.ingressClassParamsSpec } } : {}),
    nodeSelector: props.nodeSelector ?? { ...SYSTEM_NODE_SELECTOR },
    tolerations: [...(props.tolerations ?? [SYSTEM_TOLERATION])],
    defaultTags: props.defaultTags ?? {},
  };
}

/** The AWS Load Balancer Controller: ALBs for Ingresses of class `alb`. */
export class LoadBalancerControllerRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerReleaseProps) {
    super(scope, id);
    this.release = new Release(this, "default", {
      name: "aws-load-balancer-controller",
      namespace: "kube-system",
      repository: EKS_CHARTS_REPOSITORY,
      chart: "aws-load-balancer-controller",
      version: props.chartVersion,
      wait: true,
      values: [renderValues(loadBalancerControllerValues(props))],
      dependsOn: props.dependsOn,
    });
  }
}
