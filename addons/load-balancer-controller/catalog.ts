import type { AddonCatalogEntry, AddonChart } from "../catalog";

/** The AWS Load Balancer Controller chart (https://github.com/aws/eks-charts). */
export const LOAD_BALANCER_CONTROLLER_CHART = {
  releaseName: "aws-load-balancer-controller",
  chart: "aws-load-balancer-controller",
  repository: "https://aws.github.io/eks-charts",
  namespace: "kube-system",
  placement: "system-nodes",
} as const satisfies AddonChart;

/** Its service account, named exactly in the IRSA trust. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;

export const LOAD_BALANCER_CONTROLLER_CATALOG: AddonCatalogEntry = {
  name: "load-balancer-controller",
  description: "AWS Load Balancer Controller: ALBs for Ingresses of class alb, NLBs for LoadBalancer Services",
  switch: "loadBalancerController.enabled",
  charts: [LOAD_BALANCER_CONTROLLER_CHART],
  enabled: (env) => env.loadBalancerController.enabled,
  releases: (env) => [{ ...LOAD_BALANCER_CONTROLLER_CHART, version: env.loadBalancerController.chartVersion }],
};
