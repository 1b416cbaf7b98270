import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { Ec2Tag } from "@cdktf/provider-aws/lib/ec2-tag";
import type { Environment } from "../config/environment";
import { awsStackName, clusterAdminPrincipals, createsCluster } from "../config/environment";
import { LayerStack } from "./layer-stack";
import { DataBucket } from "../constructs/data-bucket";
import { ImageRegistry } from "../constructs/image-registry";
import type { ClusterContext } from "../constructs/cluster-context";
import { Network } from "../constructs/network";
import { EksCluster } from "../constructs/eks-cluster";
import { SystemNodeGroup } from "../constructs/system-node-group";
import { PrivateApiAccess } from "../constructs/private-api-access";
import { ExistingCluster } from "../constructs/existing-cluster";
import { ClusterAdminAccess } from "../constructs/cluster-admin-access";
import { ProductRoles } from "../constructs/product-roles";
import { dataBucketName, defaultTags, roleName } from "../config/naming";
import { AwsAddons, addAddonsAws } from "../addons/registry";
import { ReleaseSecrets } from "../constructs/release-secrets";
import { PublicDns } from "../constructs/public-dns";
import { releaseSecrets } from "../config/release-values";
import { gatewayAccess } from "../config/gateway-access";
import { managedCertificate } from "../config/rules";

/**
 * `layer-<env>-aws`: everything hev layer needs from AWS. Its outputs are
 * what the Helm stack and the product chart consume.
 *
 * fresh-cluster: Network → EksCluster → SystemNodeGroup; existing-cluster:
 * ExistingCluster. Either way `cluster` is the ClusterContext later
 * capabilities (the cluster add-ons of addons/registry.ts) build on.
 */
export class AwsStack extends LayerStack {
  readonly dataBucket: DataBucket;
  readonly imageRegistry: ImageRegistry;
  readonly cluster: ClusterContext;
  readonly productRoles: ProductRoles;
  /** The AWS halves of the enabled cluster add-ons (addons/registry.ts). */
  readonly addons: AwsAddons;
  /** fresh-cluster mode only. */
  readonly network?: Network;
  readonly eksCluster?: EksCluster;
  readonly systemNodeGroup?: SystemNodeGroup;
  readonly releaseSecrets?: ReleaseSecrets;
  /** dns.managePublicDns only. */
  readonly publicDns?: PublicDns;

  constructor(scope: Construct, env: Environment) {
    super(scope, awsStackName(env), env);

    this.dataBucket = new DataBucket(this, "data-bucket", {
      bucketName: dataBucketName(env),
      accountId: env.accountId,
      partition: env.partition,
      searchHistoryRetentionDays: env.dataBucket.searchHistoryRetentionDays,
      clickstreamRetentionDays: env.dataBucket.clickstreamRetentionDays,
      noncurrentVersionRetentionDays: env.dataBucket.noncurrentVersionRetentionDays,
      protected: env.protected,
    });

    this.imageRegistry = new ImageRegistry(this, "image-registry", {
      namePrefix: env.resourcePrefix,
      accountId: env.accountId,
      partition: env.partition,
      untaggedExpiryDays: env.imageRegistry.untaggedExpiryDays,
      maxImageCount: env.imageRegistry.maxImageCount,
      protected: env.protected,
    });

    if (createsCluster(env)) {
      const fresh = this.freshCluster(env);
      this.network = fresh.network;
      this.eksCluster = fresh.eks;
      this.systemNodeGroup = fresh.systemNodeGroup;
      this.cluster = fresh.context;
    } else {
      this.cluster = this.existingCluster(env);
    }

    const gatewayData = gatewayAccess(env.releaseValues);
    this.productRoles = new ProductRoles(this, "product-roles", {
      oidcProvider: this.cluster.oidcProvider,
      roleNames: {
        gateway: roleName(env, "gateway"),
        dashboard: roleName(env, "dashboard"),
        operator: roleName(env, "operator"),
      },
      namespace: env.release.namespace,
      serviceAccounts: env.release.serviceAccounts,
      bucketArn: this.dataBucket.bucket.arn,
      bucketKeyArn: this.dataBucket.key.arn,
      region: env.region,
      dnsSuffix: env.dnsSuffix,
      gatewayPrefixes: gatewayData.prefixes,
      gatewayCostExplorer: gatewayData.costExplorer,
      functionsRepositoryArn: this.imageRegistry.repositories.functions.arn,
    });

    // release.secrets: secrets-manager keeps the release's secrets in Secrets Manager (docs/secrets.md).
    if (env.release.enabled && env.release.secrets === "secrets-manager") {
      this.releaseSecrets = new ReleaseSecrets(this, "release-secrets", {
        secrets: releaseSecrets(env).map((s) => ({ id: s.id, name: s.secretsManagerName, description: s.description, generated: s.generated })),
        keyAlias: `${env.resourcePrefix}-release-secrets`,
        accountId: env.accountId,
        partition: env.partition,
        recoveryWindowInDays: env.protected ? 30 : 7,
        protected: env.protected,
      });
      for (const [id, secret] of Object.entries(this.releaseSecrets.secrets)) {
        new TerraformOutput(this, `${id.replace(/-/g, "_")}_secret_arn`, { value: secret.arn });
      }
    }

    if (env.dns.managePublicDns) this.publicDns = this.addPublicDns(env);

    this.addons = addAddonsAws({
      stack: this,
      env,
      cluster: this.cluster,
      // Managed add-ons whose pods need nodes wait for the system node group.
      computeReady: this.systemNodeGroup ? [this.systemNodeGroup.nodeGroup] : undefined,
      // Fresh clusters give the VPC CNI its own IRSA role, so node roles go without the CNI policy.
      cniHasOwnRole: createsCluster(env),
      publicZoneArn: this.publicDns?.zoneArn,
    });

    new TerraformOutput(this, "region", { value: env.region });
    new TerraformOutput(this, "data_bucket_name", { value: this.dataBucket.bucket.bucket });
    new TerraformOutput(this, "data_bucket_arn", { value: this.dataBucket.bucket.arn });
    new TerraformOutput(this, "data_bucket_key_arn", { value: this.dataBucket.key.arn });
    for (const [name, repository] of Object.entries(this.imageRegistry.repositories)) {
      new TerraformOutput(this, `${name}_repository_url`, { value: repository.repositoryUrl });
    }
    const c = this.cluster;
    new TerraformOutput(this, "cluster_name", { value: c.clusterName });
    new TerraformOutput(this, "cluster_endpoint", { value: c.endpoint });
    new TerraformOutput(this, "cluster_certificate_authority_data", { value: c.certificateAuthorityData });
    new TerraformOutput(this, "cluster_oidc_issuer_url", { value: `https://${c.oidcProvider.issuerHost}` });
    new TerraformOutput(this, "oidc_provider_arn", { value: c.oidcProvider.arn });
    new TerraformOutput(this, "vpc_id", { value: c.vpcId });
    new TerraformOutput(this, "worker_subnet_ids", { value: c.workerSubnetIds });
    new TerraformOutput(this, "cluster_security_group_id", { value: c.clusterSecurityGroupId });
    // Nodes carry only the EKS cluster security group (no separate node group SG).
    new TerraformOutput(this, "node_security_group_id", { value: c.clusterSecurityGroupId });
    new TerraformOutput(this, "gateway_role_arn", { value: this.productRoles.gateway.arn });
    new TerraformOutput(this, "dashboard_role_arn", { value: this.productRoles.dashboard.arn });
    new TerraformOutput(this, "operator_role_arn", { value: this.productRoles.operator.arn });
  }

  /**
   * Opt-in public zone and certificate (docs/edge.md). A zone created here gets its certificate only once
   * the file says it is delegated (`dns.zoneDelegated`).
   */
  private addPublicDns(env: Environment): PublicDns {
    const issueCertificate = managedCertificate(env);
    const dns = new PublicDns(this, "public-dns", {
      zoneName: env.dns.zoneName!,
      zoneId: env.dns.zoneId,
      gatewayHost: env.dns.gatewayHost!,
      extraNames: env.dns.extraNames,
      partition: env.partition,
      protected: env.protected,
      issueCertificate,
    });
    new TerraformOutput(this, "gateway_zone_id", { value: dns.zoneId });
    if (dns.nameServers) {
      new TerraformOutput(this, "gateway_zone_name_servers", {
        value: dns.nameServers,
        description: "Delegate to these from the parent zone (NS records), then set dns.zoneDelegated: true",
      });
    }
    // external-dns's zone-scoped role is its add-on's AWS half (addons/external-dns/).
    if (issueCertificate) new TerraformOutput(this, "gateway_certificate_arn", { value: dns.validatedCertificateArn });
    return dns;
  }

  private freshCluster(env: Environment): { network: Network; eks: EksCluster; systemNodeGroup: SystemNodeGroup; context: ClusterContext } {
    const c = env.cluster;
    const network = new Network(this, "network", {
      clusterName: env.clusterName,
      availabilityZones: env.availabilityZones,
      region: env.region,
      accountId: env.accountId,
      partition: env.partition,
      dnsSuffix: env.dnsSuffix,
      vpcCidr: env.network.vpcCidr,
      workerSubnets: env.network.workerSubnets,
      natGateways: env.network.natGateways,
      interfaceEndpoints: env.network.interfaceEndpoints,
      flowLogs: env.network.flowLogs,
      protected: env.protected,
    });
    const eks = new EksCluster(this, "eks-cluster", {
      clusterName: env.clusterName,
      kubernetesVersion: c.kubernetesVersion,
      subnetIds: network.workerSubnetIds,
      region: env.region,
      accountId: env.accountId,
      partition: env.partition,
      dnsSuffix: env.dnsSuffix,
      clusterRoleName: roleName(env, "cluster"),
      vpcCniRoleName: roleName(env, "vpc-cni"),
      endpointPublicAccess: c.endpointPublicAccess,
      publicAccessCidrs: c.publicAccessCidrs,
      logTypes: c.logTypes,
      logRetentionDays: c.logRetentionDays,
      adminPrincipalArns: clusterAdminPrincipals(env),
      addonVersions: c.addonVersions,
      protected: env.protected,
    });
    const ng = c.systemNodeGroup;
    const systemNodeGroup = new SystemNodeGroup(this, "system-node-group", {
      clusterName: eks.cluster.name,
      kubernetesVersion: eks.cluster.version,
      subnetIds: network.workerSubnetIds,
      partition: env.partition,
      nodeRoleName: roleName(env, "system-node"),
      instanceType: ng.instanceType,
      minSize: ng.minSize,
      desiredSize: ng.desiredSize,
      maxSize: ng.maxSize,
      rootVolumeGiB: ng.rootVolumeGiB,
      ssmAccess: ng.ssmAccess,
      instanceTags: defaultTags(env),
      cniPolicyOnNodeRole: false,
      dependsOn: eks.networkAddons,
    });
    eks.addComputeDependentAddons([systemNodeGroup.nodeGroup]);

    const clusterSecurityGroupId = eks.cluster.vpcConfig.clusterSecurityGroupId;
    // The deploy runner's path to the private endpoint (docs/ci.md#reaching-the-kubernetes-api).
    new PrivateApiAccess(this, "private-api-access", { clusterSecurityGroupId, cidrs: c.privateAccessCidrs, clusterName: env.clusterName });
    // Karpenter discovers the security group of the nodes it launches by this tag.
    new Ec2Tag(this, "cluster_security_group_karpenter_discovery", {
      resourceId: clusterSecurityGroupId,
      key: "karpenter.sh/discovery",
      value: env.clusterName,
    });

    const context: ClusterContext = {
      clusterName: eks.cluster.name,
      clusterArn: eks.cluster.arn,
      endpoint: eks.cluster.endpoint,
      certificateAuthorityData: eks.cluster.certificateAuthority.get(0).data,
      oidcProvider: eks.oidcProvider,
      vpcId: network.vpc.id,
      workerSubnetIds: network.workerSubnetIds,
      clusterSecurityGroupId,
      managedHere: true,
    };
    return { network, eks, systemNodeGroup, context };
  }

  private existingCluster(env: Environment): ClusterContext {
    const requiresAccessEntries = clusterAdminPrincipals(env).length > 0;
    const existing = new ExistingCluster(this, "existing-cluster", {
      clusterName: env.clusterName,
      requiresAccessEntries,
      environmentFile: env.file,
    });
    if (requiresAccessEntries) {
      new ClusterAdminAccess(this, "cluster-admin-access", {
        // Through the data source, so entries are only planned after its postcondition passed.
        clusterName: existing.clusterName,
        partition: env.partition,
        principalArns: clusterAdminPrincipals(env),
      });
    }
    return existing;
  }
}
