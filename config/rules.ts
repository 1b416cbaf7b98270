/**
 * Rules that span several fields. The schema checks each field alone; these
 * catch combinations that would synthesize but fail (or be unsafe) at deploy.
 */
import type { ConfigProblem } from "./errors";
import { describeValue } from "./errors";
import type { EnvironmentFile } from "./schema";
import { SUPPORTED_KUBERNETES_VERSIONS } from "./kubernetes-versions";
import { planSubnets } from "./subnet-plan";
import { principalKey } from "./naming";
import { partitionOf } from "./environment";
import { resolveAddonEnabled } from "./environment";
import { STACK_PLACEHOLDER } from "./state-keys";
import { checkTags } from "./tag-rules";
import { NVME_X86_FAMILIES, instanceFamilyOf, isArmFamily } from "./instance-types";
import { checkVersionSupport } from "./version-rules";

export function checkEnvironmentRules(env: EnvironmentFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, found: unknown, expected: string) => problems.push({ path, found: describeValue(found), expected });

  problems.push(...checkTags(env.tags));
  env.availabilityZones.forEach((az, i) => {
    if (!new RegExp(`^${env.region}[a-z]$`).test(az)) {
      add(`availabilityZones[${i}]`, az, `a zone of region ${env.region}, such as ${env.region}a`);
    }
  });
  const seen = new Set<string>();
  env.availabilityZones.forEach((az, i) => {
    if (seen.has(az)) add(`availabilityZones[${i}]`, az, "each availability zone listed once");
    seen.add(az);
  });

  if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(env.cluster.kubernetesVersion)) {
    add("cluster.kubernetesVersion", env.cluster.kubernetesVersion, `a Kubernetes version EKS supports: one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`);
  }

  if (env.mode === "existing-cluster" && !env.cluster.name) {
    add("cluster.name", undefined, "the name of the existing EKS cluster (mode is existing-cluster)");
  }
  if (env.mode === "helm-only" && !env.externalAws) {
    add("externalAws", undefined, "the bucket, gateway role ARN, image repository and cluster name this helm-only environment brings");
  }
  if (env.mode !== "helm-only" && env.externalAws) {
    add("externalAws", "a section", `no externalAws section: mode ${env.mode} creates these AWS resources itself`);
  }

  if (env.mode === "helm-only" && env.externalAws) checkExternalAws(env, add);

  const c = env.cluster;
  if (env.mode === "fresh-cluster" && c.endpointPublicAccess && c.publicAccessCidrs.length === 0) {
    add(
      "cluster.publicAccessCidrs",
      [],
      "the CIDR blocks allowed to reach the public API endpoint (your office or CI egress), or cluster.endpointPublicAccess: false",
    );
  }
  if (!c.endpointPublicAccess && c.publicAccessCidrs.length > 0) {
    add("cluster.publicAccessCidrs", c.publicAccessCidrs, "an empty list, because cluster.endpointPublicAccess is false");
  }
  if (env.mode !== "fresh-cluster" && c.privateAccessCidrs.length > 0) {
    add("cluster.privateAccessCidrs", c.privateAccessCidrs, `an empty list in ${env.mode} mode: the cluster's security group is not managed here`);
  }
  c.privateAccessCidrs.forEach((block, i) => {
    if (block.endsWith("/0")) add(`cluster.privateAccessCidrs[${i}]`, block, "the networks of your deploy runners, not every address");
  });
  c.publicAccessCidrs.forEach((block, i) => {
    if (env.protected && block.endsWith("/0")) {
      add(`cluster.publicAccessCidrs[${i}]`, block, "a narrow allowlist: a protected environment never opens the API endpoint to the whole internet");
    }
  });
  // Security bar CW-01: every log group keeps at least 90 days.
  if (c.logRetentionDays < 90) {
    add("cluster.logRetentionDays", c.logRetentionDays, "at least 90 days of control-plane logs (security bar CW-01)");
  }
  if (env.network.flowLogs.enabled && env.network.flowLogs.retentionDays < 90) {
    add("network.flowLogs.retentionDays", env.network.flowLogs.retentionDays, "at least 90 days of flow logs (security bar CW-01)");
  }
  checkClusterAccess(env, add);
  const adminKeys = new Map<string, string>();
  if (env.deployPrincipalArn) adminKeys.set(principalKey(env.deployPrincipalArn), "deployPrincipalArn");
  c.adminPrincipalArns.forEach((arn, i) => {
    const key = principalKey(arn);
    if (adminKeys.has(key)) {
      add(`cluster.adminPrincipalArns[${i}]`, arn, `a principal not already listed (${adminKeys.get(key)} has the same name; access entries are keyed by it)`);
    }
    adminKeys.set(key, `cluster.adminPrincipalArns[${i}]`);
  });
  if (!c.logTypes.includes("audit")) {
    add("cluster.logTypes", c.logTypes, 'a list that includes "audit" (the minimum control-plane log)');
  }
  // The audit's EKS-04 waives the other four log types only in unprotected environments (audit/waivers.ts).
  const allLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
  const missingLogTypes = allLogTypes.filter((t) => !c.logTypes.includes(t as (typeof c.logTypes)[number]));
  if (env.mode === "fresh-cluster" && env.protected && c.logTypes.includes("audit") && missingLogTypes.length > 0) {
    add(
      "cluster.logTypes",
      c.logTypes,
      `all five control-plane log types in a protected environment (${allLogTypes.join(", ")}; missing ${missingLogTypes.join(", ")}), as the audit's EKS-04 requires`,
    );
  }
  const ng = c.systemNodeGroup;
  const ngFamily = instanceFamilyOf(ng.instanceType);
  if (ngFamily && !(NVME_X86_FAMILIES as readonly string[]).includes(ngFamily)) {
    add(
      "cluster.systemNodeGroup.instanceType",
      ng.instanceType,
      `an x86_64 type with NVMe instance store (the node's disks become the RAID0 the document cache lives on): one of the families ${NVME_X86_FAMILIES.join(", ")}`,
    );
  }
  if (!(ng.minSize <= ng.desiredSize && ng.desiredSize <= ng.maxSize)) {
    add("cluster.systemNodeGroup", { minSize: ng.minSize, desiredSize: ng.desiredSize, maxSize: ng.maxSize }, "minSize <= desiredSize <= maxSize");
  }

  const n = env.network;
  const nat = n.natGateways ?? (n.workerSubnets === "private" ? "single" : "none");
  if (n.workerSubnets === "public" && nat !== "none") {
    add(
      "network.natGateways",
      nat,
      "none: public worker subnets reach the internet through the internet gateway (set network.workerSubnets: private to use NAT)",
    );
  }
  if (n.workerSubnets === "private" && nat === "none") {
    add("network.natGateways", nat, "single or one-per-az: private worker subnets need NAT to pull images and reach the vector store");
  }
  if (env.mode === "fresh-cluster") {
    const plan = planSubnets(n.vpcCidr, env.availabilityZones.length);
    if (typeof plan === "string") add("network.vpcCidr", n.vpcCidr, plan);
  }

  const addons = { karpenter: env.karpenter, loadBalancerController: env.loadBalancerController, efs: env.efs };
  for (const [section, settings] of Object.entries(addons)) {
    if (env.mode === "helm-only" && settings.enabled === true) {
      add(
        `${section}.enabled`,
        true,
        "false or nothing: helm-only mode has no AWS stack for the add-on's IAM role and AWS resources; install it yourself or use existing-cluster mode",
      );
    }
  }
  const karpenterEnabled = resolveAddonEnabled(env.karpenter.enabled, env.mode);
  const ngMin = env.cluster.systemNodeGroup.minSize;
  const controllerReplicas = env.karpenter.controllerReplicas;
  if (env.mode === "fresh-cluster" && controllerReplicas !== undefined && controllerReplicas > ngMin) {
    add(
      "karpenter.controllerReplicas",
      controllerReplicas,
      `at most cluster.systemNodeGroup.minSize (${ngMin}): the controllers keep one replica per system node (hostname anti-affinity), so extra replicas stay Pending`,
    );
  }
  if (env.protected && karpenterEnabled && /@latest$/.test(env.karpenter.amiAlias)) {
    add(
      "karpenter.amiAlias",
      env.karpenter.amiAlias,
      "a pinned alias such as al2023@v20260714 in a protected environment, so nodes never change AMI unreviewed",
    );
  }
  checkVersionSupport(env, add);
  const gpu = env.karpenter.workerGpu;
  if (gpu.enabled && !gpu.instanceFamilies.every((f) => /^(g\d|p\d|gr\d)/.test(f))) {
    add("karpenter.workerGpu.instanceFamilies", gpu.instanceFamilies, "GPU instance families only (g5, g6, g6e, p4d, p5...)");
  }
  const cpu = env.karpenter.workerCpu;
  if (cpu.enabled && cpu.instanceFamilies.some((f) => /^(g\d|p\d|gr\d)/.test(f))) {
    add("karpenter.workerCpu.instanceFamilies", cpu.instanceFamilies, "CPU instance families only; GPU families belong in karpenter.workerGpu");
  }
  const pools = { workerCpu: cpu, workerGpu: gpu, documentCache: env.karpenter.documentCache };
  for (const [pool, settings] of Object.entries(pools)) {
    settings.instanceFamilies.forEach((family, i) => {
      if (karpenterEnabled && settings.enabled && isArmFamily(family)) {
        add(
          `karpenter.${pool}.instanceFamilies[${i}]`,
          family,
          "an x86_64 family: the pools' nodes are amd64 (charts/worker-pools), so Karpenter would never launch an Arm (Graviton) type",
        );
      }
    });
  }
  const cache = env.karpenter.documentCache;
  cache.instanceFamilies.forEach((family, i) => {
    if (cache.enabled && !isArmFamily(family) && !(NVME_X86_FAMILIES as readonly string[]).includes(family)) {
      add(
        `karpenter.documentCache.instanceFamilies[${i}]`,
        family,
        `a family with NVMe instance store, where the document cache lives: one of ${NVME_X86_FAMILIES.join(", ")}`,
      );
    }
  });
  if (env.karpenter.documentCache.enabled && !karpenterEnabled) {
    add("karpenter.documentCache.enabled", true, "false, or karpenter.enabled: true (the pool is a Karpenter NodePool)");
  }

  const d = env.dns;
  if (d.managePublicDns && env.mode === "helm-only") {
    add("dns.managePublicDns", true, "false in helm-only mode (no AWS stack is created): give dns.certificateArn and dns.gatewayHost instead");
  }
  if (d.managePublicDns) {
    if (!d.zoneName) add("dns.zoneName", undefined, "the public hosted zone name, because dns.managePublicDns is true");
    if (!d.gatewayHost) add("dns.gatewayHost", undefined, "the gateway host name, because dns.managePublicDns is true");
    if (d.certificateArn) add("dns.certificateArn", d.certificateArn, "no certificate ARN: with dns.managePublicDns the certificate is issued here");
    if (d.zoneName && d.gatewayHost && !isInZone(d.gatewayHost, d.zoneName)) {
      add("dns.gatewayHost", d.gatewayHost, `a name inside the managed zone ${d.zoneName}`);
    }
    d.extraNames.forEach((name, i) => {
      if (d.zoneName && !isInZone(name, d.zoneName)) add(`dns.extraNames[${i}]`, name, `a name inside the managed zone ${d.zoneName}`);
    });
    if (d.zoneId && d.zoneDelegated) {
      add("dns.zoneDelegated", true, "nothing: a zone adopted with dns.zoneId must already be delegated, and its certificate is issued on the first deploy");
    }
  } else if (d.zoneId || d.zoneName || d.zoneDelegated) {
    const field = d.zoneId ? "dns.zoneId" : d.zoneName ? "dns.zoneName" : "dns.zoneDelegated";
    add(field, d.zoneId ?? d.zoneName ?? d.zoneDelegated, "no zone, or dns.managePublicDns: true to manage it");
  }

  const scheme = ingressScheme(env);
  const hasCertificate = managedCertificate(env) || Boolean(d.certificateArn);
  if (scheme !== "none") {
    if (!hasCertificate) {
      const pending = d.managePublicDns && !managedCertificate(env);
      add(
        "ingress.scheme",
        scheme,
        pending
          ? "none until the zone created here is delegated: deploy, delegate it from its parent zone (output gateway_zone_name_servers), then set dns.zoneDelegated: true"
          : "none, or a certificate for HTTPS: dns.managePublicDns: true or dns.certificateArn",
      );
    }
    if (!d.gatewayHost) add("dns.gatewayHost", undefined, `the gateway host name, because ingress.scheme is ${scheme}`);
    if (env.protected && scheme === "internet-facing" && !env.ingress.accessLogs) {
      add("ingress.accessLogs", undefined, "an access log bucket: a protected environment logs every request to its internet-facing load balancer");
    }
    // The gateway's ALB, its TLS policy, deletion protection, access logs and WAF are made by the load balancer
    // controller this project installs (its IngressClassParams, docs/edge.md): without it they silently vanish.
    if (!resolveAddonEnabled(env.loadBalancerController.enabled, env.mode)) {
      if (env.mode === "fresh-cluster") {
        add(
          "loadBalancerController.enabled",
          false,
          `true (or nothing): the gateway's ${scheme} ALB is made by the load balancer controller, and a fresh cluster has no other; set ingress.scheme: none to run without an ingress`,
        );
      }
      for (const field of ["accessLogs", "wafAclArn"] as const) {
        if (env.ingress[field] !== undefined) {
          add(
            `ingress.${field}`,
            env.ingress[field],
            "nothing, or loadBalancerController.enabled: true: it is applied through the IngressClassParams of the load balancer controller this project installs, which is off here",
          );
        }
      }
    }
  }
  const certificateRegion = d.certificateArn?.split(":")[3];
  if (certificateRegion !== undefined && certificateRegion !== env.region) {
    add(
      "dns.certificateArn",
      d.certificateArn,
      `a certificate in ${env.region} (region): a load balancer only uses ACM certificates from its own region, this one is in ${certificateRegion}`,
    );
  }
  if (d.certificateArn && !d.gatewayHost) add("dns.gatewayHost", undefined, "the host name the certificate in dns.certificateArn is for");
  if (env.mode === "helm-only" && env.release.secrets === "secrets-manager") {
    add("release.secrets", "secrets-manager", "write-only: helm-only mode has no AWS stack to hold Secrets Manager secrets");
  }

  if (env.mode === "helm-only" && env.release.enabled && !env.release.chart) {
    add("release.chart", undefined, "the product chart (a local path or an OCI repository): helm-only mode has no ECR repository to hold it");
  }
  if (env.ingress.scheme === "internal") {
    add("ingress.scheme", "internal", "internet-facing or none: the product chart's Ingress (templates/gateway-ingress.yaml) is always internet-facing");
  }

  const bucketName = `${env.prefix}-${"x".repeat(20)}-data-${env.accountId}-${env.region}`;
  if (env.mode !== "helm-only" && bucketName.length > 63) {
    add(
      "prefix",
      env.prefix,
      `a shorter prefix: the data bucket name <prefix>-<env>-data-<account>-<region> must fit in 63 characters for environment names up to 20 characters`,
    );
  }

  const stateKeyTemplate = env.backend.s3?.key;
  if (stateKeyTemplate !== undefined) {
    if (!stateKeyTemplate.includes(STACK_PLACEHOLDER)) {
      add(
        "backend.s3.key",
        stateKeyTemplate,
        `a key template holding ${STACK_PLACEHOLDER}, such as ${stateKeyTemplate.replace(/[^/]*$/, `${STACK_PLACEHOLDER}.tfstate`)}: the AWS and Helm stacks each keep their own state, and one key would make them overwrite each other`,
      );
    } else if (!stateKeyTemplate.endsWith(".tfstate")) {
      add("backend.s3.key", stateKeyTemplate, "a key ending in .tfstate");
    } else if (stateKeyTemplate.startsWith("/")) {
      add("backend.s3.key", stateKeyTemplate, "a key without a leading slash (S3 keys are relative to the bucket)");
    }
  }
  return problems;
}

/**
 * Somebody must be able to reach the Kubernetes API once the cluster exists:
 * it authenticates with access entries only and gives its creator nothing
 * (constructs/eks-cluster.ts), so without an admin entry every Helm release
 * of the first deploy is refused with 401. An entry names an IAM role (with
 * its path) or user, never an STS session, and each principal once
 * (https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html).
 */
function checkClusterAccess(env: EnvironmentFile, add: (path: string, found: unknown, expected: string) => void): void {
  const c = env.cluster;
  if (env.mode === "fresh-cluster" && !env.deployPrincipalArn && c.adminPrincipalArns.length === 0) {
    add(
      "deployPrincipalArn",
      undefined,
      "the IAM role ARN that runs cdktf deploy for this environment (CI's deploy role, or your own role), which gets cluster admin through an access entry; or at least one principal in cluster.adminPrincipalArns. Without one, nobody can reach the new cluster's Kubernetes API and the Helm stack fails with 401",
    );
  }
  const sessionHint = (arn: string) => {
    const m = /^arn:([a-z-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
    return m ? ` such as arn:${m[1]}:iam::${m[2]}:role/${m[3]} (with its path, if it has one)` : "";
  };
  const principals: Array<[string, string]> = [
    ...(env.deployPrincipalArn ? [["deployPrincipalArn", env.deployPrincipalArn] as [string, string]] : []),
    ...c.adminPrincipalArns.map((arn, i): [string, string] => [`cluster.adminPrincipalArns[${i}]`, arn]),
  ];
  for (const [path, arn] of principals) {
    if (/:sts::\d{12}:assumed-role\//.test(arn)) {
      add(path, arn, `the IAM role ARN${sessionHint(arn)}: an access entry takes the role, not one STS session of it`);
    }
  }
}

/**
 * Whether this project issues the gateway's certificate: with managed DNS, in
 * a zone adopted by id (delegated already) or a zone created here once the
 * file says it is delegated. ACM's DNS validation cannot finish before the
 * parent zone delegates to the zone, so the certificate is never requested
 * in the same apply that creates it.
 */
export function managedCertificate(env: Pick<EnvironmentFile, "dns">): boolean {
  const d = env.dns;
  return d.managePublicDns && (Boolean(d.zoneId) || d.zoneDelegated);
}

/** The ingress scheme after contextual defaults: public when the gateway has a certificate. */
export function ingressScheme(env: Pick<EnvironmentFile, "ingress" | "dns">): "none" | "internal" | "internet-facing" {
  if (env.ingress.scheme) return env.ingress.scheme;
  return managedCertificate(env) || env.dns.certificateArn ? "internet-facing" : "none";
}

export function isInZone(host: string, zone: string): boolean {
  const z = zone.replace(/\.$/, "").toLowerCase();
  const h = host.replace(/\.$/, "").toLowerCase();
  return h === z || h.endsWith(`.${z}`);
}

/** S3 bucket naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return "3 to 63 characters";
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return "only lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
  if (/\.\.|\.-|-\./.test(name)) return "no two adjacent dots and no dot next to a hyphen";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "a name that is not formatted like an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return "a name without the reserved prefixes xn--, sthree-, amzn-s3-demo-";
  if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name)) return "a name without the reserved suffixes -s3alias, --ol-s3, --x-s3, --table-s3";
  return undefined;
}

/** helm-only mode: the AWS resources the user brings are checked before synth. */
function checkExternalAws(env: EnvironmentFile, add: (path: string, found: unknown, expected: string) => void): void {
  const ext = env.externalAws!;
  const bucket = bucketNameProblem(ext.bucket);
  if (bucket) add("externalAws.bucket", ext.bucket, `a valid S3 bucket name: ${bucket}`);
  const { partition } = partitionOf(env.region);
  for (const field of ["gatewayRoleArn", "dashboardRoleArn", "operatorRoleArn"] as const) {
    const arn = ext[field];
    if (arn === undefined) continue;
    const m = /^arn:([a-z-]+):iam::(\d{12}):role\/[\w+=,.@\/-]{1,512}$/.exec(arn);
    if (!m) add(`externalAws.${field}`, arn, "an IAM role ARN such as arn:aws:iam::123456789012:role/layer-gateway (IRSA needs a role, not a user)");
    else if (m[1] !== partition) add(`externalAws.${field}`, arn, `an ARN in partition ${partition} (region ${env.region})`);
    else if (m[2] !== env.accountId)
      add(`externalAws.${field}`, arn, `a role in account ${env.accountId} (accountId), where the cluster's OIDC provider lives`);
  }
}
