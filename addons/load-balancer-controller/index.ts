import { TerraformOutput } from "cdktf";
import type { Environment } from "../../config/environment";
import { ingressScheme } from "../../config/rules";
import { albClassSettings } from "../../config/gateway-ingress";
import { defaultTags, roleArn, roleName } from "../../config/naming";
import { ClusterDrainGate } from "../../constructs/cluster-drain-gate";
import { ClusterAddon, awsCli } from "../addon";
import { LoadBalancerController } from "./aws";
import { LoadBalancerControllerRelease } from "./helm";
import { LOAD_BALANCER_CONTROLLER_CATALOG, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "./catalog";

/** The gateway ALB's settings, on the `alb` class: the product chart's Ingress cannot carry them (docs/edge.md). */
export function gatewayAlbSettings(env: Environment): Record<string, unknown> | undefined {
  if (ingressScheme(env) === "none") return undefined;
  const logs = env.ingress.accessLogs;
  return {
    ...albClassSettings({
      sslPolicy: env.ingress.sslPolicy,
      deletionProtection: env.protected,
      accessLogs: logs ? { bucket: logs.bucket, prefix: logs.prefix ?? `alb/${env.name}` } : undefined,
      wafAclArn: env.ingress.wafAclArn,
    }),
  };
}

/**
 * The AWS Load Balancer Controller: its IRSA role (AWS), then the release
 * and the drain gate that holds its destroy until its load balancers are gone.
 */
export const LOAD_BALANCER_CONTROLLER: ClusterAddon<LoadBalancerController, LoadBalancerControllerRelease> = {
  catalog: LOAD_BALANCER_CONTROLLER_CATALOG,

  aws({ stack, env, cluster }) {
    const controller = new LoadBalancerController(stack, "load-balancer-controller", {
      cluster,
      roleName: roleName(env, "load-balancer-controller"),
      partition: env.partition,
      serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
    });
    new TerraformOutput(stack, "load_balancer_controller_role_arn", { value: controller.role.arn });
    return controller;
  },

  helm({ stack, env, cluster, ready, releaseDependencies }) {
    const controller = new LoadBalancerControllerRelease(stack, "load-balancer-controller", {
      clusterName: env.clusterName,
      region: env.region,
      vpcId: cluster.vpcConfig.get(0).vpcId,
      roleArn: roleArn(env, "load-balancer-controller"),
      chartVersion: env.loadBalancerController.chartVersion,
      replicas: env.loadBalancerController.replicas,
      // Load balancers count toward the gateway's cost report (config/cost-allocation.ts).
      defaultTags: defaultTags(env),
      ingressClassParamsSpec: gatewayAlbSettings(env),
    });
    // The controller tags everything it creates with elbv2.k8s.aws/cluster; a leftover security group blocks VPC
    // deletion. Only load balancers and target groups are asked for: the tagging API keeps listing deleted
    // listeners and rules (kubernetes-sigs/aws-load-balancer-controller#2588), so they would never reach 0.
    const cli = awsCli(env);
    ready.ingress = new ClusterDrainGate(stack, "load-balancers-deleted", {
      waitsFor: "load balancers, target groups and security groups of the AWS Load Balancer Controller",
      countCommands: [
        `${cli} resourcegroupstaggingapi get-resources --resource-type-filters elasticloadbalancing:loadbalancer elasticloadbalancing:targetgroup ` +
          `--tag-filters Key=elbv2.k8s.aws/cluster,Values=${env.clusterName} --query "length(ResourceTagMappingList)"`,
        `${cli} ec2 describe-security-groups --filters Name=tag:elbv2.k8s.aws/cluster,Values=${env.clusterName} --query "length(SecurityGroups)"`,
      ],
      after: [controller.release],
    }).gate;
    ready.serviceWebhook = controller.release;
    // The product release's Ingress needs the controller, and goes before it on destroy.
    releaseDependencies.push(ready.ingress);
    return controller;
  },
};
