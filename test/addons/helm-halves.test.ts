/**
 * Cluster add-ons across modes and their order: created in fresh-cluster
 * mode, off in existing-cluster mode unless enabled, refused in helm-only
 * mode; installed Karpenter → gate → pools, LBC → gate, and destroyed in the
 * reverse order.
 */
import { Testing } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { addEnvironment } from "../../stacks/environment-stacks";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";

const ADDON_RELEASES = ["karpenter", "karpenter_crd", "load_balancer_controller", "worker_pools", "worker_pools_nvidia_device_plugin"];
// The releases this file is about (the product release, KEDA and external-dns have their own tests).
const helmReleases = (name: string) =>
  Object.keys(resourcesOfType(synthExample(name).helm, "helm_release"))
    .filter((k) => ADDON_RELEASES.includes(k))
    .sort();

test("fresh-cluster mode installs every add-on", () => {
  expect(helmReleases("dev")).toEqual([...ADDON_RELEASES].sort());
  expect(Object.keys(resourcesOfType(synthExample("dev").helm, "kubernetes_storage_class_v1"))).toEqual(["efs_storage_class"]);
});

test("existing-cluster mode leaves them off unless the environment file enables them", () => {
  const existing = synthExample("existing");
  expect(existing.env.karpenter.enabled).toBe(false);
  expect(helmReleases("existing")).toEqual([]);
  const enabled = environmentFromYaml(`${MINIMAL_ENVIRONMENT}mode: existing-cluster\ncluster:\n  name: platform\nloadBalancerController:\n  enabled: true\n`);
  expect(enabled.loadBalancerController.enabled).toBe(true);
  expect(enabled.karpenter.enabled).toBe(false);
  expect(Object.keys(resourcesOfType(synthEnvironment(enabled).helm, "helm_release")).filter((k) => ADDON_RELEASES.includes(k))).toEqual([
    "load_balancer_controller",
  ]);
});

test("helm-only mode has no add-ons", () => {
  expect(helmReleases("helm-only")).toEqual([]);
  const env = synthExample("helm-only").env;
  expect([env.karpenter.enabled, env.loadBalancerController.enabled, env.efs.enabled]).toEqual([false, false, false]);
});

test("install order: LBC → CRDs → Karpenter → instance drain gate → pools; LBC → load balancer gate", () => {
  const helm = synthExample("dev").helm;
  const releases = resourcesOfType(helm, "helm_release");
  const gates = resourcesOfType(helm, "terraform_data");
  expect(releases.load_balancer_controller.depends_on).toBeUndefined();
  expect(releases.karpenter_crd.depends_on).toEqual(["helm_release.load_balancer_controller"]);
  expect(releases.karpenter.depends_on).toEqual(["helm_release.karpenter_crd"]);
  expect(gates.karpenter_instances_drained.depends_on).toEqual(["helm_release.karpenter"]);
  expect(releases.worker_pools.depends_on).toEqual(["terraform_data.karpenter_instances_drained"]);
  expect(releases.worker_pools_nvidia_device_plugin.depends_on).toEqual(["terraform_data.karpenter_instances_drained"]);
  expect(gates.load_balancers_deleted.depends_on).toEqual(["helm_release.load_balancer_controller"]);
});

test("the gates wait for this cluster's Karpenter instances, and the controller's load balancers, target groups and security groups", () => {
  const gates = resourcesOfType(synthExample("dev").helm, "terraform_data");
  const [instances, ...moreInstances] = gates.karpenter_instances_drained.input.countCommands;
  expect(moreInstances).toEqual([]);
  expect(instances).toMatch(
    /aws --region us-east-1 .*ec2 describe-instances .*Name=tag-key,Values=karpenter\.sh\/nodepool .*Name=tag:kubernetes\.io\/cluster\/layer-dev,Values=owned/,
  );
  const [tagged, securityGroups, ...rest] = gates.load_balancers_deleted.input.countCommands;
  expect(rest).toEqual([]);
  expect(tagged).toMatch(
    /aws --region us-east-1 .*resourcegroupstaggingapi get-resources --resource-type-filters elasticloadbalancing:loadbalancer elasticloadbalancing:targetgroup .*Key=elbv2\.k8s\.aws\/cluster,Values=layer-dev/,
  );
  expect(securityGroups).toMatch(
    /aws --region us-east-1 .*ec2 describe-security-groups --filters Name=tag:elbv2\.k8s\.aws\/cluster,Values=layer-dev --query "length\(SecurityGroups\)"/,
  );
});

test("the Helm stack exposes what the product release depends on, so it goes first on destroy", () => {
  const app = Testing.app();
  const { helm } = addEnvironment(app, synthExample("dev").env);
  expect(helm.workerPools).toBeInstanceOf(Release);
  // A release that depends on both is created after, and destroyed before, the pools and the controller gate.
  new Release(helm, "dependent-release", { name: "dependent", chart: "x", dependsOn: [helm.ingressController!, helm.workerPools!] });
  const synthesized = JSON.parse(Testing.synth(helm, true));
  expect(synthesized.resource.helm_release.dependent_release.depends_on).toEqual(["terraform_data.load_balancers_deleted", "helm_release.worker_pools"]);
});
