/** EKS-01..14: the control plane, its logs, access and the system node group's launch template. */
import { asList, block, blocks, isTrue, refersTo } from "../terraform";
import { judge } from "../findings";
import type { AuditContext, ResourceRef, Rule } from "../types";

/** The CK snapshot in the security bar accepts 1.29-1.35. */
const SUPPORTED_MINORS = ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"];
const ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

const clusters = (ctx: AuditContext) => ctx.resources("aws_eks_cluster");
const vpcConfig = (r: ResourceRef) => block(r.body.vpc_config) ?? {};

/** Launch templates: the system node group's, and any other in the stack. */
const launchTemplates = (ctx: AuditContext) => ctx.resources("aws_launch_template");

export const EKS_RULES: Rule[] = [
  {
    id: "EKS-01",
    title: "Secrets envelope encryption with a CMK",
    resourceTypes: ["aws_eks_cluster"],
    checks: 'encryption_config.resources is exactly ["secrets"] and provider.key_arn is a project KMS key',
    why: "Kubernetes Secrets are encrypted with a key this project rotates",
    scanners: ["CKV_AWS_58", "AVD-AWS-0039"],
    check: (ctx) =>
      clusters(ctx).flatMap((r) => {
        const enc = block(r.body.encryption_config);
        const resources = asList(enc?.resources);
        const keyArn = block(enc?.provider)?.key_arn;
        return judge(
          r,
          [
            [resources.length === 1 && resources[0] === "secrets", `encryption_config.resources is ${JSON.stringify(enc?.resources)}; expected ["secrets"]`],
            [refersTo(keyArn, "aws_kms_key") || /^arn:aws[a-z-]*:kms:/.test(String(keyArn ?? "")), "encryption_config.provider.key_arn is not a KMS key"],
          ],
          "secrets encrypted with a CMK",
        );
      }),
  },
  {
    id: "EKS-02",
    title: "Private endpoint on",
    resourceTypes: ["aws_eks_cluster"],
    checks: "vpc_config.endpoint_private_access is true",
    why: "nodes reach the API server inside the VPC",
    scanners: [],
    check: (ctx) =>
      clusters(ctx).flatMap((r) => judge(r, [[isTrue(vpcConfig(r).endpoint_private_access), "endpoint_private_access is not true"]], "private endpoint on")),
  },
  {
    id: "EKS-03",
    title: "Public endpoint off or allowlisted",
    resourceTypes: ["aws_eks_cluster"],
    checks: "endpoint_public_access is false, or public_access_cidrs is non-empty and holds no /0",
    why: "an API server open to the internet is one credential leak from compromise",
    scanners: ["CKV_AWS_39", "CKV_AWS_38", "AVD-AWS-0040", "AVD-AWS-0041"],
    check: (ctx) =>
      clusters(ctx).flatMap((r) => {
        const v = vpcConfig(r);
        const open = v.endpoint_public_access === undefined || isTrue(v.endpoint_public_access);
        const cidrs = asList<string>(v.public_access_cidrs);
        return judge(
          r,
          [
            [!open || cidrs.length > 0, "the public endpoint is on with no public_access_cidrs (AWS then allows 0.0.0.0/0)"],
            [!open || !cidrs.some((c) => c.endsWith("/0")), `public_access_cidrs ${JSON.stringify(cidrs)} includes a /0`],
          ],
          open ? `public endpoint limited to ${cidrs.join(", ")}` : "public endpoint off",
        );
      }),
  },
  {
    id: "EKS-04",
    title: "All five control-plane log types",
    resourceTypes: ["aws_eks_cluster"],
    checks: `enabled_cluster_log_types includes ${ALL_LOG_TYPES.join(", ")} (audit at the very least)`,
    why: "audit logs are the record of who did what to the cluster",
    scanners: ["CKV_AWS_37", "AVD-AWS-0038"],
    check: (ctx) =>
      clusters(ctx).flatMap((r) => {
        const types = asList<string>(r.body.enabled_cluster_log_types);
        const missing = ALL_LOG_TYPES.filter((t) => !types.includes(t));
        return judge(
          r,
          [
            [types.includes("audit"), "audit logs are off"],
            [missing.length === 0 || !types.includes("audit"), `log types ${missing.join(", ")} are off`],
          ],
          "all five log types",
        );
      }),
  },
  {
    id: "EKS-05",
    title: "Cluster log group declared with retention and KMS",
    resourceTypes: ["aws_cloudwatch_log_group"],
    checks: "a log group named /aws/eks/<cluster>/cluster exists in the stack, with retention and a KMS key",
    why: "otherwise EKS creates it itself with no expiry and no CMK",
    scanners: ["CKV_AWS_66", "CKV_AWS_338", "CKV_AWS_158", "AVD-AWS-0017"],
    check: (ctx) =>
      clusters(ctx).flatMap((r) => {
        const groups = ctx.resources("aws_cloudwatch_log_group");
        const group =
          groups.find((g) => g.body.name === `/aws/eks/${r.body.name}/cluster`) ??
          groups.find((g) => /^\/aws\/eks\/.*\/cluster$/.test(String(g.body.name)) && String(g.body.name).includes(`aws_eks_cluster.${r.name}`));
        return judge(
          r,
          [
            [group !== undefined, `no aws_cloudwatch_log_group named /aws/eks/${r.body.name}/cluster`],
            [!group || typeof group.body.retention_in_days === "number", "the cluster log group has no retention"],
            [!group || group.body.kms_key_id !== undefined, "the cluster log group has no KMS key"],
          ],
          `log group ${group?.address}`,
        );
      }),
  },
  {
    id: "EKS-06",
    title: "API authentication mode",
    resourceTypes: ["aws_eks_cluster"],
    checks: 'access_config.authentication_mode is "API"',
    why: "access entries are auditable IAM resources; aws-auth is an unreviewed ConfigMap",
    scanners: [],
    check: (ctx) =>
      clusters(ctx).flatMap((r) => {
        const mode = block(r.body.access_config)?.authentication_mode;
        return judge(r, [[mode === "API", `authentication_mode is ${JSON.stringify(mode)}; expected "API"`]], "API");
      }),
  },
  {
    id: "EKS-07",
    title: "No implicit creator admin",
    resourceTypes: ["aws_eks_cluster"],
    checks:
      "access_config.bootstrap_cluster_creator_admin_permissions is false, and a STANDARD access entry of the cluster has an AmazonEKSClusterAdminPolicy association",
    why: "admins are granted through explicit access entries, not whoever ran terraform; without one nobody, not even the deploy, reaches the API",
    scanners: [],
    check: (ctx) =>
      clusters(ctx).flatMap((r) => {
        const v = block(r.body.access_config)?.bootstrap_cluster_creator_admin_permissions;
        const admins = ctx.resources("aws_eks_access_policy_association").filter((a) => {
          const entry = ctx.resolve(a.body.principal_arn);
          return (
            /:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/.test(String(a.body.policy_arn)) &&
            entry?.type === "aws_eks_access_entry" &&
            (entry.body.type ?? "STANDARD") === "STANDARD" &&
            refersTo(entry.body.cluster_name, "aws_eks_cluster", r.name)
          );
        });
        return judge(
          r,
          [
            [v === false || v === "false", `bootstrap_cluster_creator_admin_permissions is ${JSON.stringify(v)}; expected false`],
            [admins.length > 0, "no access entry of this cluster has AmazonEKSClusterAdminPolicy: nobody can reach the Kubernetes API"],
          ],
          `no creator admin; ${admins.length} admin access entr${admins.length === 1 ? "y" : "ies"}`,
        );
      }),
  },
  {
    id: "EKS-08",
    title: "Supported Kubernetes version",
    resourceTypes: ["aws_eks_cluster"],
    checks: `version is one of ${SUPPORTED_MINORS.join(", ")}`,
    why: "unsupported versions get no security patches",
    scanners: ["CKV_AWS_339"],
    check: (ctx) =>
      clusters(ctx).flatMap((r) =>
        judge(r, [[SUPPORTED_MINORS.includes(String(r.body.version)), `version is ${JSON.stringify(r.body.version)}`]], `version ${r.body.version}`),
      ),
  },
  {
    id: "EKS-09",
    title: "No SSH on node groups",
    resourceTypes: ["aws_eks_node_group"],
    checks: "remote_access is absent",
    why: "nodes are reached through SSM, never SSH keys",
    scanners: ["CKV_AWS_100"],
    check: (ctx) =>
      ctx.resources("aws_eks_node_group").flatMap((r) => judge(r, [[r.body.remote_access === undefined, "remote_access is set"]], "no remote_access")),
  },
  {
    id: "EKS-10",
    title: "Node group spans zones and can host Karpenter",
    resourceTypes: ["aws_eks_node_group", "aws_subnet", "aws_efs_mount_target"],
    checks:
      "subnet_ids cover at least 2 subnets; scaling_config.min_size >= 1; update_config.max_unavailable is small (1); one EFS mount target per worker subnet",
    why: "one zone outage must not take the controllers down; pods on any node reach EFS",
    scanners: [],
    check: (ctx) =>
      ctx.resources("aws_eks_node_group").flatMap((r) => {
        const subnets = Array.isArray(r.body.subnet_ids) ? r.body.subnet_ids : [];
        const multi = !Array.isArray(r.body.subnet_ids) || subnets.length >= 2; // a splat reference covers every configured zone
        const scaling = block(r.body.scaling_config) ?? {};
        const update = block(r.body.update_config);
        const mountTargets = ctx.resources("aws_efs_mount_target").length;
        const fileSystems = ctx.resources("aws_efs_file_system").length;
        return judge(
          r,
          [
            [multi, `subnet_ids lists ${subnets.length} subnet(s); expected at least 2 zones`],
            [Number(scaling.min_size) >= 1, `scaling_config.min_size is ${JSON.stringify(scaling.min_size)}; expected at least 1`],
            [
              update === undefined || update.max_unavailable === undefined || Number(update.max_unavailable) <= 1,
              `update_config.max_unavailable is ${JSON.stringify(update?.max_unavailable)}; expected 1`,
            ],
            [
              fileSystems === 0 || !Array.isArray(r.body.subnet_ids) || mountTargets >= subnets.length * fileSystems,
              `${mountTargets} EFS mount targets for ${subnets.length} worker subnets`,
            ],
          ],
          "multi-zone, min_size >= 1",
        );
      }),
  },
  {
    id: "EKS-11",
    title: "IMDSv2 required on launch templates",
    resourceTypes: ["aws_launch_template"],
    checks: 'metadata_options.http_tokens is "required" and http_endpoint is not "disabled"',
    why: "IMDSv1 lets SSRF in any pod steal the node role",
    scanners: ["CKV_AWS_79", "AVD-AWS-0130", "AVD-AWS-0028"],
    check: (ctx) =>
      launchTemplates(ctx).flatMap((r) => {
        const m = block(r.body.metadata_options) ?? {};
        return judge(
          r,
          [
            [m.http_tokens === "required", `metadata_options.http_tokens is ${JSON.stringify(m.http_tokens)}; expected "required"`],
            [
              m.http_endpoint === undefined || m.http_endpoint === "enabled",
              `metadata_options.http_endpoint is ${JSON.stringify(m.http_endpoint)}; expected "enabled"`,
            ],
          ],
          "IMDSv2 required",
        );
      }),
  },
  {
    id: "EKS-12",
    title: "IMDS hop limit 1, set explicitly",
    resourceTypes: ["aws_launch_template"],
    checks: "metadata_options.http_put_response_hop_limit is 1",
    why: "pods (one hop further) cannot reach the node role's credentials",
    scanners: ["CKV_AWS_341"],
    check: (ctx) =>
      launchTemplates(ctx).flatMap((r) => {
        const hop = block(r.body.metadata_options)?.http_put_response_hop_limit;
        return judge(r, [[Number(hop) === 1, `http_put_response_hop_limit is ${JSON.stringify(hop)}; expected 1, set explicitly`]], "hop limit 1");
      }),
  },
  {
    id: "EKS-13",
    title: "No secrets in user data, no public IP on the template",
    resourceTypes: ["aws_launch_template"],
    checks: "user_data (base64 decoded when literal) holds no AWS keys; network_interfaces[].associate_public_ip_address is not true",
    why: "user data is readable by anyone who can describe the instance",
    scanners: ["CKV_AWS_46", "CKV_AWS_88", "AVD-AWS-0129"],
    check: (ctx) =>
      launchTemplates(ctx).flatMap((r) => {
        const raw = String(r.body.user_data ?? "");
        let text = raw;
        if (/^[A-Za-z0-9+/=\s]+$/.test(raw) && raw.length > 0) text = Buffer.from(raw, "base64").toString("utf8");
        const keys = /(AKIA|ASIA)[0-9A-Z]{16}|aws_secret_access_key/i.test(text);
        return judge(
          r,
          [
            [!keys, "user_data contains AWS credentials"],
            [!blocks(r.body.network_interfaces).some((n) => isTrue(n.associate_public_ip_address)), "a network interface sets associate_public_ip_address"],
          ],
          "clean user data, no public IP flag",
        );
      }),
  },
  {
    id: "EKS-14",
    title: "Encrypted node volumes",
    resourceTypes: ["aws_launch_template", "aws_ebs_encryption_by_default"],
    checks: "every block_device_mappings[].ebs.encrypted is true (or EBS encryption by default is enabled)",
    why: "node disks hold container layers and cached documents",
    scanners: ["AVD-AWS-0131", "AVD-AWS-0026"],
    check: (ctx) => {
      const byDefault = ctx.resources("aws_ebs_encryption_by_default").some((r) => isTrue(r.body.enabled ?? true));
      return launchTemplates(ctx).flatMap((r) => {
        const mappings = blocks(r.body.block_device_mappings);
        return judge(
          r,
          [
            [byDefault || mappings.length > 0, "no block_device_mappings: the root volume's encryption is left to the AMI"],
            [byDefault || mappings.every((m) => isTrue(block(m.ebs)?.encrypted)), "a block device mapping is not encrypted"],
          ],
          "encrypted volumes",
        );
      });
    },
  },
];
