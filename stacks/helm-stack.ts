import { Construct } from "constructs";
import { Aspects, Fn, ITerraformDependable } from "cdktf";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { Environment } from "../config/environment";
import { helmStackName } from "../config/environment";
import { LayerStack } from "./layer-stack";
import { DataAwsAcmCertificate } from "@cdktf/provider-aws/lib/data-aws-acm-certificate";
import { managedCertificate } from "../config/rules";
import { HelmAddons, addAddonsHelm } from "../addons/registry";
import type { AddonReadiness } from "../addons/addon";
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
  /** The Helm halves of the enabled cluster add-ons (addons/registry.ts), in install order. */
  readonly addons: HelmAddons;
  /** What the add-ons hand to later releases: the Service webhook, the ingress controller's and Karpenter's drain gates, the pools. */
  readonly addonsReady: AddonReadiness = {};
  /** The product release depends on these, so it is installed after and destroyed before them. */
  readonly ingressController?: ITerraformDependable;
  readonly workerPools?: ITerraformDependable;
  /**
   * What the `layer` release waits for (the ingress controller, the worker
   * pools, KEDA, the gateway certificate): push to it before `addLayerRelease` runs.
   */
  readonly releaseDependencies: ITerraformDependable[] = [];
  layerRelease?: LayerRelease;

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

    this.addons = addAddonsHelm({ stack: this, env, cluster: this.cluster, ready: this.addonsReady, releaseDependencies: this.releaseDependencies });
    this.ingressController = this.addonsReady.ingress;
    this.workerPools = this.addonsReady.workerPools;

    this.readGatewayCertificate(env);
    // A new cluster add-on joins addons/registry.ts; the product release comes last.
    this.addLayerRelease(env);
    // A protected environment refuses destroy here as its AWS stack does (docs/teardown.md).
    if (env.protected) Aspects.of(this).add(new PreventDestroyOf((type) => /^(helm|kubernetes)_/.test(type)));
  }

  /**
   * With managed public DNS, the gateway's certificate is read by domain:
   * the AWS stack has issued it before this stack runs. The chart's Ingress
   * names no certificate (the load balancer controller finds this one by
   * host), and reading it makes the plan stop until it is issued.
   */
  private readGatewayCertificate(env: Environment): void {
    // A zone not yet delegated has no certificate.
    if (!managedCertificate(env)) return;
    const certificate = new DataAwsAcmCertificate(this, "gateway_certificate", {
      domain: env.dns.gatewayHost!,
      statuses: ["ISSUED"],
      mostRecent: true,
    });
    this.releaseDependencies.push(certificate);
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
