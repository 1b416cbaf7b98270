/**
 * One deliberately bad change per rule, applied to a copy of the compliant
 * fixture world. Every rule in audit/rules must have an entry here (a test
 * enforces it), so a new rule always comes with proof that it can fail.
 */
import type { AuditStacks } from "../../audit/types";
import { DASHBOARD_POLICY, GATEWAY_POLICY, KARPENTER_POLICY } from "./fixture-world";

type Mutation = (w: AuditStacks) => void;

const res = (w: AuditStacks, type: string, name: string, stack: "aws" | "helm" = "aws"): any => {
  const r = w[stack]!.resource![type]?.[name];
  if (!r) throw new Error(`fixture world has no ${type}.${name}`);
  return r;
};
const add = (w: AuditStacks, type: string, name: string, body: object, stack: "aws" | "helm" = "aws") => {
  const resources = w[stack]!.resource!;
  resources[type] = { ...(resources[type] ?? {}), [name]: body };
};
const setPolicy = (w: AuditStacks, name: string, doc: object) => {
  res(w, "aws_iam_policy", name).policy = JSON.stringify(doc);
};
const editValues = (w: AuditStacks, release: string, edit: (text: string) => string) => {
  const r = res(w, "helm_release", release, "helm");
  r.values = [edit(r.values[0])];
};
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

export const BAD: Record<string, Mutation> = {
  // The load balancer controller floats to a chart range, off the catalog's pin.
  "ADDON-01": (w) => {
    res(w, "helm_release", "load_balancer_controller", "helm").version = "~3.5";
  },
  // The load balancer controller selects the system nodes but lost its toleration.
  "NODE-01": (w) => editValues(w, "load_balancer_controller", (t) => t.replace(/tolerations:\n( {2}.*\n)+/, "")),
  "S3-01": (w) => add(w, "aws_s3_bucket_public_access_block", "second", { ...res(w, "aws_s3_bucket_public_access_block", "data_bucket_pab") }),
  "S3-02": (w) => {
    res(w, "aws_s3_bucket_public_access_block", "data_bucket_pab").restrict_public_buckets = false;
  },
  "S3-03": (w) => add(w, "aws_s3_bucket_acl", "public", { bucket: "${aws_s3_bucket.data_bucket.id}", acl: "public-read" }),
  "S3-04": (w) => {
    res(w, "aws_s3_bucket_versioning", "data_bucket_versioning").versioning_configuration = [{ status: "Suspended" }];
  },
  "S3-05": (w) => {
    res(w, "aws_s3_bucket_server_side_encryption_configuration", "data_bucket_sse").rule = [
      { apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }] },
    ];
  },
  "S3-06": (w) => {
    res(w, "aws_s3_bucket_policy", "data_bucket_policy").policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "${aws_s3_bucket.data_bucket.arn}/*" }],
    });
  },
  "S3-07": (w) => {
    res(w, "aws_s3_bucket_lifecycle_configuration", "data_bucket_lifecycle").rule[0].abort_incomplete_multipart_upload = undefined;
  },
  "S3-08": (w) => {
    res(w, "aws_s3_bucket_lifecycle_configuration", "data_bucket_lifecycle").rule[0].noncurrent_version_expiration = undefined;
  },
  "LIFE-01": (w) => {
    delete res(w, "aws_efs_file_system", "efs").lifecycle;
  },
  "LIFE-02": (w) => {
    res(w, "aws_s3_bucket", "data_bucket").force_destroy = true;
  },
  "LIFE-03": (w) => {
    res(w, "aws_eks_cluster", "cluster").deletion_protection = false;
  },
  "IAM-01": (w) => {
    res(w, "aws_iam_openid_connect_provider", "cluster_oidc").client_id_list = ["sts.example.com"];
  },
  "IAM-02": (w) => {
    const trust = JSON.parse(res(w, "aws_iam_role", "gateway").assume_role_policy);
    trust.Statement[0].Principal.Federated = "accounts.google.com";
    res(w, "aws_iam_role", "gateway").assume_role_policy = JSON.stringify(trust);
  },
  "IAM-03": (w) => {
    const trust = JSON.parse(res(w, "aws_iam_role", "gateway").assume_role_policy);
    const cond = trust.Statement[0].Condition;
    const subKey = Object.keys(cond.StringEquals).find((k) => k.endsWith(":sub"))!;
    cond.StringLike = { [subKey]: "system:serviceaccount:layer:*" };
    delete cond.StringEquals[subKey];
    res(w, "aws_iam_role", "gateway").assume_role_policy = JSON.stringify(trust);
  },
  "IAM-04": (w) => {
    const trust = JSON.parse(res(w, "aws_iam_role", "dashboard").assume_role_policy);
    const cond = trust.Statement[0].Condition.StringEquals;
    delete cond[Object.keys(cond).find((k) => k.endsWith(":aud"))!];
    res(w, "aws_iam_role", "dashboard").assume_role_policy = JSON.stringify(trust);
  },
  "IAM-05": (w) => {
    res(w, "aws_iam_role", "cluster").assume_role_policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }],
    });
  },
  "IAM-06": (w) =>
    add(w, "aws_iam_role_policy_attachment", "admin", { role: "${aws_iam_role.operator.name}", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
  "IAM-07": (w) =>
    setPolicy(w, "operator_data", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "arn:aws:iam::123456789012:role/x" }] }),
  "IAM-08": (w) => setPolicy(w, "operator_data", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }] }),
  "IAM-09": (w) => {
    const doc = clone(KARPENTER_POLICY);
    const pass = doc.Statement.find((s) => s.Sid === "AllowPassingInstanceRole")!;
    pass.Resource = "*";
    delete (pass as any).Condition;
    setPolicy(w, "karpenter_controller", doc);
  },
  "IAM-10": (w) =>
    setPolicy(w, "operator_data", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] }),
  "IAM-11": (w) => {
    res(w, "aws_iam_policy", "operator_data").policy = "${data.aws_iam_policy_document.operator.json}";
  },
  "IAM-12": (w) => {
    const doc = clone(GATEWAY_POLICY);
    doc.Statement[0].Resource = ["${aws_s3_bucket.data_bucket.arn}/*"];
    setPolicy(w, "gateway_data", doc);
  },
  "IAM-13": (w) => {
    const doc = clone(DASHBOARD_POLICY);
    doc.Statement[0].Action = ["ce:*", ...doc.Statement[0].Action.slice(1)];
    setPolicy(w, "dashboard_cost", doc);
  },
  "IAM-14": (w) =>
    add(w, "aws_iam_role_policy_attachment", "node_s3", { role: "${aws_iam_role.system_node.name}", policy_arn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
  "IAM-15": (w) => {
    const doc = clone(KARPENTER_POLICY);
    delete (doc.Statement.find((s) => s.Sid === "AllowScopedDeletion") as any).Condition;
    setPolicy(w, "karpenter_controller", doc);
  },
  "IAM-LINT-01": (w) =>
    setPolicy(w, "operator_data", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["s3:GetObjekt"], Resource: "${aws_s3_bucket.data_bucket.arn}/pipelines/*" }],
    }),
  "IAM-LINT-02": (w) =>
    setPolicy(w, "operator_data", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "${aws_s3_bucket.data_bucket.arn}" }],
    }),
  "IAM-LINT-03": (w) =>
    setPolicy(w, "operator_data", {
      Version: "2012-10-17",
      Statement: Array.from({ length: 60 }, (_, i) => ({
        Sid: `Prefix${i}`,
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: `\${aws_s3_bucket.data_bucket.arn}/pipelines/${i}/*`,
      })),
    }),
  "ECR-01": (w) => {
    res(w, "aws_ecr_repository", "image_registry_gateway").image_tag_mutability = "MUTABLE";
  },
  "ECR-02": (w) => {
    res(w, "aws_ecr_repository", "image_registry_gateway").image_scanning_configuration = [{ scan_on_push: false }];
  },
  "ECR-03": (w) => {
    res(w, "aws_ecr_repository", "image_registry_gateway").encryption_configuration = { encryption_type: "AES256" };
  },
  "ECR-04": (w) => {
    delete w.aws!.resource!.aws_ecr_lifecycle_policy;
  },
  "ECR-05": (w) => {
    res(w, "aws_ecr_repository_policy", "image_registry_gateway_policy").policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage"] }],
    });
  },
  "EKS-01": (w) => {
    res(w, "aws_eks_cluster", "cluster").encryption_config = [
      { resources: ["secrets", "configmaps"], provider: [{ key_arn: "${aws_kms_key.cluster_key.arn}" }] },
    ];
  },
  "EKS-02": (w) => {
    res(w, "aws_eks_cluster", "cluster").vpc_config.endpoint_private_access = false;
  },
  "EKS-03": (w) => {
    res(w, "aws_eks_cluster", "cluster").vpc_config.public_access_cidrs = ["0.0.0.0/0"];
  },
  "EKS-04": (w) => {
    res(w, "aws_eks_cluster", "cluster").enabled_cluster_log_types = ["api", "authenticator"];
  },
  "EKS-05": (w) => {
    delete w.aws!.resource!.aws_cloudwatch_log_group.cluster_logs;
  },
  "EKS-06": (w) => {
    res(w, "aws_eks_cluster", "cluster").access_config.authentication_mode = "CONFIG_MAP";
  },
  "EKS-07": (w) => {
    res(w, "aws_eks_cluster", "cluster").access_config.bootstrap_cluster_creator_admin_permissions = true;
  },
  "EKS-08": (w) => {
    res(w, "aws_eks_cluster", "cluster").version = "1.24";
  },
  "EKS-09": (w) => {
    res(w, "aws_eks_node_group", "system_nodes").remote_access = [{ ec2_ssh_key: "ops" }];
  },
  "EKS-10": (w) => {
    res(w, "aws_eks_node_group", "system_nodes").subnet_ids = ["${aws_subnet.network_private_a.id}"];
  },
  "EKS-11": (w) => {
    res(w, "aws_launch_template", "system_nodes").metadata_options = [{ http_tokens: "optional", http_put_response_hop_limit: 1 }];
  },
  "EKS-12": (w) => {
    delete res(w, "aws_launch_template", "system_nodes").metadata_options.http_put_response_hop_limit;
  },
  "EKS-13": (w) => {
    res(w, "aws_launch_template", "system_nodes").user_data = Buffer.from("export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP").toString("base64");
  },
  "EKS-14": (w) => {
    res(w, "aws_launch_template", "system_nodes").block_device_mappings[0].ebs.encrypted = false;
  },
  "KAR-01": (w) => {
    res(w, "aws_sqs_queue", "karpenter_interruptions").sqs_managed_sse_enabled = false;
  },
  "KAR-02": (w) => {
    res(w, "aws_sqs_queue", "karpenter_interruptions").message_retention_seconds = 345600;
  },
  "KAR-03": (w) => {
    const p = res(w, "aws_sqs_queue_policy", "karpenter_interruptions_policy");
    const doc = JSON.parse(p.policy);
    doc.Statement[0].Principal = { AWS: "*" };
    p.policy = JSON.stringify(doc);
  },
  "KAR-04": (w) => {
    delete w.aws!.resource!.aws_cloudwatch_event_rule.reservation;
  },
  "KAR-05": (w) => {
    res(w, "aws_eks_access_entry", "karpenter_node").type = "STANDARD";
  },
  "NET-01": (w) => {
    res(w, "aws_flow_log", "network_flow_log").traffic_type = "REJECT";
  },
  "NET-02": (w) => {
    res(w, "aws_default_security_group", "network_default_sg").ingress = [{ from_port: 0, to_port: 0, protocol: "-1", self: true }];
  },
  "NET-03": (w) =>
    add(w, "aws_security_group_rule", "ssh", {
      type: "ingress",
      security_group_id: "${aws_security_group.efs_mount_targets.id}",
      description: "ssh",
      from_port: 22,
      to_port: 22,
      protocol: "tcp",
      cidr_blocks: ["0.0.0.0/0"],
    }),
  "NET-04": (w) => {
    res(w, "aws_security_group", "efs_mount_targets").description = "";
  },
  "NET-05": (w) =>
    add(w, "aws_vpc_security_group_egress_rule", "efs_all", {
      security_group_id: "${aws_security_group.efs_mount_targets.id}",
      description: "all",
      ip_protocol: "-1",
      cidr_ipv4: "0.0.0.0/0",
    }),
  "NET-06": (w) => {
    res(w, "aws_subnet", "network_private_a").map_public_ip_on_launch = true;
  },
  "NET-07": (w) => {
    res(w, "aws_vpc", "network_vpc").enable_dns_hostnames = false;
  },
  "NET-08": (w) => add(w, "aws_default_vpc", "default", {}),
  "EFS-01": (w) => {
    res(w, "aws_efs_file_system", "efs").encrypted = false;
  },
  "EFS-02": (w) => {
    const p = res(w, "aws_efs_file_system_policy", "efs_policy");
    const doc = JSON.parse(p.policy);
    doc.Statement = doc.Statement.filter((s: any) => s.Sid !== "DenyInsecure");
    p.policy = JSON.stringify(doc);
  },
  "EFS-03": (w) => {
    res(w, "aws_efs_backup_policy", "efs_backup").backup_policy = [{ status: "DISABLED" }];
  },
  "EFS-04": (w) => {
    res(w, "aws_efs_access_point", "efs_shared").root_directory = [{ path: "/" }];
  },
  "KMS-01": (w) => {
    res(w, "aws_kms_key", "efs_key").enable_key_rotation = false;
  },
  "KMS-02": (w) => {
    delete res(w, "aws_kms_key", "efs_key").policy;
  },
  "CW-01": (w) => {
    res(w, "aws_cloudwatch_log_group", "network_flow_logs").retention_in_days = 7;
  },
  "EDGE-01": (w) => {
    res(w, "aws_acm_certificate", "gateway").validation_method = "EMAIL";
  },
  "EDGE-02": (w) => {
    res(w, "aws_acm_certificate", "gateway").subject_alternative_names = ["*.example.com"];
  },
  "EDGE-03": (w) => editValues(w, "layer", (t) => t.replace(`'[{"HTTPS":443},{"HTTP":80}]'`, `'[{"HTTP":80}]'`)),
  "EDGE-04": (w) => editValues(w, "layer", (t) => t.replace("ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2016-08")),
  "EDGE-05": (w) => editValues(w, "layer", (t) => t.replace("drop_invalid_header_fields.enabled=true", "drop_invalid_header_fields.enabled=false")),
  "TF-01": (w) => {
    w.aws!.terraform!.backend.s3.encrypt = false;
  },
  "TF-02": (w) => {
    w.aws!.terraform!.backend.s3.dynamodb_table = "locks";
  },
  "TF-04": (w) => {
    res(w, "aws_dynamodb_table", "legacy_locks").point_in_time_recovery = [{ enabled: false }];
  },
  "SEC-01": (w) => editValues(w, "layer", (t) => t.replace("existingSecret: layer-vector-store", "apiKey: not-a-real-key-but-a-literal")),
  "SEC-02": (w) => {
    delete res(w, "helm_release", "layer", "helm").set_wo_revision;
  },
  "SEC-03": (w) => {
    w.helm!.variable!.vector_store_api_key.default = "literal";
  },
  "SEC-04": (w) => {
    res(w, "aws_iam_role", "operator").description = "key tpuf_A1b2C3d4E5f6G7h8I9j0K1l2";
  },
  "SEC-05": (w) =>
    add(w, "aws_secretsmanager_secret_version", "vector_store_key", {
      secret_id: "${aws_secretsmanager_secret.vector_store_key.id}",
      secret_string: "${var.vector_store_api_key}",
    }),
  "SEC-06": (w) => {
    w.aws!.provider!.aws[0].access_key = "AKIA0000000000000000";
  },
  "HELM-01": (w) => {
    res(w, "helm_release", "load_balancer_controller", "helm").version = ">=3.0.0";
  },
  "HELM-02": (w) => editValues(w, "load_balancer_controller", (t) => t.replace(/vpcId: .*\n/, "")),
  "EKS-11-NODECLASS": (w) => editValues(w, "worker_pools", (t) => t.replace("httpTokens: required", "httpTokens: optional")),
  "EKS-12-NODECLASS": (w) => editValues(w, "worker_pools", (t) => t.replace("httpPutResponseHopLimit: 1", "httpPutResponseHopLimit: 2")),
};
