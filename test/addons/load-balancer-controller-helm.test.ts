import { parse } from "yaml";
import { loadBalancerControllerValues } from "../../addons/load-balancer-controller/helm";
import { LOAD_BALANCER_CONTROLLER_CHART } from "../../addons/load-balancer-controller/catalog";

const EKS_CHARTS_REPOSITORY = LOAD_BALANCER_CONTROLLER_CHART.repository;
import { synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";
import { describeWithReference } from "../helpers/reference";
import { unknownValueKeys } from "../helpers/values-keys";

const FREE_FORM = ["serviceAccount.annotations", "nodeSelector", "defaultTags", "ingressClassParams.spec"];
const release = resourcesOfType(synthExample("dev").helm, "helm_release").load_balancer_controller;
const values = parse(release.values[0]);

test("chart pinned from the eks-charts repository", () => {
  expect(release).toMatchObject({ repository: EKS_CHARTS_REPOSITORY, chart: "aws-load-balancer-controller", version: "3.5.0", namespace: "kube-system" });
  expect(EKS_CHARTS_REPOSITORY).toBe("https://aws.github.io/eks-charts");
});

test("cluster name, region and VPC are explicit (no IMDS at hop limit 1); the VPC comes from the cluster", () => {
  expect(values.clusterName).toBe("layer-dev");
  expect(values.region).toBe("us-east-1");
  expect(values.vpcId).toBe("${data.aws_eks_cluster.cluster.vpc_config[0].vpc_id}");
});

test("IRSA service account, ingress class alb, on the system node group", () => {
  expect(values.serviceAccount).toEqual({
    create: true,
    name: "aws-load-balancer-controller",
    annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/layer-dev-load-balancer-controller" },
  });
  expect(values.ingressClass).toBe("alb");
  expect(values.createIngressClassResource).toBe(true);
  expect(values.enableServiceMutatorWebhook).toBe(true);
  expect(values.nodeSelector).toEqual({ "layer.hev.dev/node-role": "system" });
  expect(values.tolerations).toEqual([{ key: "layer.hev.dev/node-role", operator: "Equal", value: "system", effect: "NoSchedule" }]);
  expect(values.replicaCount).toBe(1);
  expect(parse(resourcesOfType(synthExample("prod").helm, "helm_release").load_balancer_controller.values[0]).replicaCount).toBe(2);
});

test("every load balancer it creates carries the environment's tags, with the cost-allocation tag", () => {
  expect(values.defaultTags).toMatchObject({ "hev.dev/product": "layer", "hev.dev/environment": "dev" });
  const prod = parse(resourcesOfType(synthExample("prod").helm, "helm_release").load_balancer_controller.values[0]);
  expect(prod.defaultTags).toMatchObject({ "hev.dev/environment": "prod", "cost-center": "search-platform" });
});

describeWithReference("load balancer controller values keys", "aws-load-balancer-controller-3.5.0/values.yaml", (file) => {
  test("every key we set exists in the chart's values.yaml", () => {
    expect(unknownValueKeys(values, file, FREE_FORM)).toEqual([]);
  });

  test("a typo like serviceAcount fails", () => {
    const typo: any = loadBalancerControllerValues({ clusterName: "c", region: "r", vpcId: "v", roleArn: "a", chartVersion: "3.5.0" });
    typo.serviceAcount = typo.serviceAccount;
    delete typo.serviceAccount;
    expect(unknownValueKeys(typo, file, FREE_FORM)).toContain("serviceAcount");
  });
});
