import { Construct } from "constructs";
import { Aspects, Fn, ITerraformDependable } from "cdktf";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { Environment } from "../config/environment";
import { helmStackName } from "../config/environment";
import { LayerStack } from "./layer-stack";
import { roleArn } from "../config/naming";
import { DataAwsAcmCertificate } from "@cdktf/provider-aws/lib/data-aws-acm-certificate";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Keda } from "../constructs/keda";
import { ExternalDns } from "../constructs/external-dns";
import { kedaEnabled } from "../config/release-values";
import { managedCertificate } from "../config/rules";
import { ClusterAddons, addClusterAddons } from "./cluster-addons";
import { LayerRelease } from "../constructs/layer-release";
import { RELEASE_NAME } from "../config/release-values";
import { chartForTerraform, releaseNamespaceMetadata, releaseValuesYaml, wiredValues, writeOnlyValues } from "./release-wiring";
import { PreventDestroyOf } from "../constructs/lifecycle";

/**
 * `layer-<env>-helm`: everything that talks to the Kubernetes API of the
 * environment's cluster. Deployed after `layer-<env>-aws`.
 *
 * The cluster is read by name, and every other AWS fact (role ARNs, bucket,
 * image repositories) is rebuilt from the environment's naming rules
 * (config/naming.ts), so this stack plans in CI as soon as the AWS stack
 * exists, without access to its state.
 */
export class HelmStack extends LayerStack {
  readonly cluster: DataAwsEksCluster;
  /** Karpenter, worker pools, load balancer controller, EFS StorageClass (stacks/cluster-addons.ts). */
  readonly clusterAddons: ClusterAddons;
  /** The product release depends on these, so it is installed after and destroyed before them. */
  readonly ingressController?: ITerraformDependable;
  readonly workerPools?: ITerraformDependable;
  /**
   * Add-ons the `layer` release waits for (the ingress controller, the
   * Karpenter worker pools): push them here before `addLayerRelease` runs.
   */
  readonly releaseDependencies: ITerraformDependable[] = [];
  layerRelease?: LayerRelease;
  keda?: Keda;
  externalDns?: ExternalDns;

  constructor(scope: Construct, env: Environment) {
    super(scope, helmStackName(env), env);
    this.cluster = new DataAwsEksCluster(this, "cluster", { name: env.clusterName });

    // Short-lived tokens from `aws eks get-token` on every call, so applies
    // longer than a token's 15 minutes keep working and no token is stored.
    // The ephemeral aws_eks_cluster_auth is not renewed mid-apply
    // (hashicorp/terraform-provider-aws#46633); docs/ci.md records the choice.
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", env.clusterName, "--region", env.region, "--output", "json"],
    };
    const host = this.cluster.endpoint;
    const clusterCaCertificate = Fn.base64decode(this.cluster.certificateAuthority.get(0).data);
    new HelmProvider(this, "helm", { kubernetes: { host, clusterCaCertificate, exec } });
    new KubernetesProvider(this, "kubernetes", { host, clusterCaCertificate, exec: [exec] });

    this.clusterAddons = addClusterAddons(this, env, this.cluster);
    this.ingressController = this.clusterAddons.ingressReady;
    this.workerPools = this.clusterAddons.workerPoolsReady;
    for (const dependency of [this.ingressController, this.workerPools]) if (dependency) this.releaseDependencies.push(dependency);

    this.addPublicEdgeAndScaling(env);
    // Cluster add-ons go above this line; the product release comes last.
    this.addLayerRelease(env);
    // A protected environment refuses destroy here as its AWS stack does (docs/teardown.md).
    if (env.protected) Aspects.of(this).add(new PreventDestroyOf((type) => /^(helm|kubernetes)_/.test(type)));
  }

  /**
   * KEDA (scale-to-zero workers) and, with managed public DNS, external-dns
   * for the gateway host. The certificate is read by domain: the AWS stack
   * has issued it before this stack runs.
   */
  private addPublicEdgeAndScaling(env: Environment): void {
    // Both charts create Services: installed once the load balancer controller's Service webhook answers.
    const serviceWebhookReady = this.clusterAddons.serviceWebhookReady ? [this.clusterAddons.serviceWebhookReady] : [];
    if (kedaEnabled(env)) {
      this.keda = new Keda(this, "keda", { chartVersion: env.keda.chartVersion, dependsOn: serviceWebhookReady });
      this.releaseDependencies.push(this.keda.release);
    }
    // A zone not yet delegated has no certificate and nothing for external-dns to write.
    if (!managedCertificate(env)) return;
    const certificate = new DataAwsAcmCertificate(this, "gateway_certificate", {
      domain: env.dns.gatewayHost!,
      statuses: ["ISSUED"],
      mostRecent: true,
    });
    // The chart's Ingress names no certificate: the load balancer controller finds this one by host.
    // Reading it makes the plan stop until the AWS stack has it issued.
    this.releaseDependencies.push(certificate);
    const zone = new DataAwsRoute53Zone(this, "gateway_zone", env.dns.zoneId ? { zoneId: env.dns.zoneId } : { name: env.dns.zoneName!, privateZone: false });
    this.externalDns = new ExternalDns(this, "external-dns", {
      chartVersion: env.dns.externalDnsChartVersion,
      region: env.region,
      roleArn: roleArn(env, "external-dns"),
      zoneName: env.dns.zoneName!,
      zoneId: zone.zoneId,
      ownerId: env.clusterName,
      dependsOn: serviceWebhookReady,
    });
  }

  /** hev layer's own chart: release `layer` in namespace `layer` (config/release-values.ts). */
  private addLayerRelease(env: Environment): void {
    if (!env.release.enabled) return;
    this.layerRelease = new LayerRelease(this, "layer-release", {
      chart: chartForTerraform(env),
      releaseName: RELEASE_NAME,
      namespace: env.release.namespace,
      namespaceMetadata: releaseNamespaceMetadata(env),
      valuesYaml: releaseValuesYaml(env, wiredValues(env)),
      writeOnlyValues: writeOnlyValues(env),
      secretsRevision: env.release.secretsRevision,
      dependsOn: this.releaseDependencies,
    });
  }
}
