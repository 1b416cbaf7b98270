/**
 * A synthetic, compliant environment: Terraform JSON with every resource type
 * the security bar talks about, including those the example environments do
 * not create yet (network, cluster, Karpenter, EFS, ingress). Each rule's
 * fixture breaks exactly one thing in a copy of it.
 */
import type { AuditEnvironment, AuditStacks } from "../../audit/types";

export const FIXTURE_ENV: AuditEnvironment = { name: "fixture", protected: true, region: "us-east-1", accountId: "123456789012", partition: "aws" };

const J = (doc: unknown) => JSON.stringify(doc);
const OIDC = "${aws_iam_openid_connect_provider.cluster_oidc.arn}";
const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
const CLUSTER = "layer-fixture";
const protect = { lifecycle: { prevent_destroy: true } };

function irsaTrust(namespace: string, sa: string) {
  return J({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: OIDC },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${ISSUER}:sub`]: `system:serviceaccount:${namespace}:${sa}`, [`${ISSUER}:aud`]: "sts.amazonaws.com" } },
      },
    ],
  });
}

const serviceTrust = (service: string) =>
  J({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

const keyPolicy = (extra: object[] = []) =>
  J({
    Version: "2012-10-17",
    Statement: [{ Sid: "Account", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }, ...extra],
  });

const key = (extra: object[] = []) => ({ enable_key_rotation: true, is_enabled: true, deletion_window_in_days: 30, policy: keyPolicy(extra), ...protect });

const BUCKET_ARN = "${aws_s3_bucket.data_bucket.arn}";

export const GATEWAY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Objects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: ["snapshots", "latest", "search-history", "clickstream", "shards", "checkpoints", "blobs", "vm-backups"].map((p) => `${BUCKET_ARN}/${p}/*`),
    },
    { Sid: "List", Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET_ARN },
    {
      Sid: "Key",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "${aws_kms_key.data_bucket_key.arn}",
      Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
    },
    { Sid: "CostExplorerRead", Effect: "Allow", Action: "ce:GetCostAndUsage", Resource: "*" },
  ],
};

export const DASHBOARD_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "CostRead",
      Effect: "Allow",
      Action: [
        "ce:GetCostAndUsage",
        "ce:GetCostForecast",
        "ce:GetDimensionValues",
        "ce:GetTags",
        "pricing:GetProducts",
        "pricing:DescribeServices",
        "pricing:GetAttributeValues",
        "cloudwatch:GetMetricData",
        "cloudwatch:ListMetrics",
      ],
      Resource: "*",
    },
  ],
};

/** Shaped like Karpenter v1's controller policy (getting-started CloudFormation), trimmed. */
export const KARPENTER_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Resource: [
        "arn:aws:ec2:us-east-1::image/*",
        "arn:aws:ec2:us-east-1::snapshot/*",
        "arn:aws:ec2:us-east-1:*:security-group/*",
        "arn:aws:ec2:us-east-1:*:subnet/*",
      ],
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Resource: [
        "arn:aws:ec2:us-east-1:*:fleet/*",
        "arn:aws:ec2:us-east-1:*:instance/*",
        "arn:aws:ec2:us-east-1:*:volume/*",
        "arn:aws:ec2:us-east-1:*:network-interface/*",
        "arn:aws:ec2:us-east-1:*:launch-template/*",
        "arn:aws:ec2:us-east-1:*:spot-instances-request/*",
      ],
      Condition: {
        StringEquals: { [`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": CLUSTER },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Resource: ["arn:aws:ec2:us-east-1:*:instance/*", "arn:aws:ec2:us-east-1:*:launch-template/*"],
      Condition: {
        StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Action: ["ec2:DescribeInstances", "ec2:DescribeSubnets", "ec2:DescribeImages"],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } },
    },
    { Sid: "AllowSSMReadActions", Effect: "Allow", Action: "ssm:GetParameter", Resource: "arn:aws:ssm:us-east-1::parameter/aws/service/*" },
    { Sid: "AllowPricingReadActions", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
    {
      Sid: "AllowInterruptionQueueActions",
      Effect: "Allow",
      Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      Resource: "${aws_sqs_queue.karpenter_interruptions.arn}",
    },
    {
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: "${aws_iam_role.karpenter_node.arn}",
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    },
    { Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Action: "eks:DescribeCluster", Resource: "${aws_eks_cluster.cluster.arn}" },
  ],
};

export const LBC_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["elasticloadbalancing:DescribeLoadBalancers"], Resource: "*" },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes"],
      Resource: "*",
      Condition: { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } },
    },
  ],
};

export const EFS_CSI_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: ["elasticfilesystem:CreateAccessPoint"],
      Resource: "*",
      Condition: { StringLike: { "aws:RequestTag/efs.csi.aws.com/cluster": "true" } },
    },
    {
      Effect: "Allow",
      Action: ["elasticfilesystem:DeleteAccessPoint"],
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/efs.csi.aws.com/cluster": "true" } },
    },
  ],
};

export const OPERATOR_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${BUCKET_ARN}/pipelines/*` }],
};

function role(name: string, trust: string) {
  return { name: `layer-fixture-${name}`, assume_role_policy: trust };
}

const RELEASE_VALUES = `ingress:
  enabled: true
  className: alb
  host: layer.example.com
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS":443},{"HTTP":80}]'
    alb.ingress.kubernetes.io/ssl-redirect: "443"
    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000
    alb.ingress.kubernetes.io/ssl-policy: ELBSecurityPolicy-TLS13-1-2-2021-06
    alb.ingress.kubernetes.io/load-balancer-attributes: routing.http.drop_invalid_header_fields.enabled=true,routing.http.desync_mitigation_mode=defensive,deletion_protection.enabled=true,access_logs.s3.enabled=true,access_logs.s3.bucket=layer-logs
vectorStore:
  credential:
    existingSecret: layer-vector-store
  inboundAuth:
    mode: keys
    workerSecretName: layer-inbound
    workerSecretKey: layer-inbound-worker-api-key
`;

const POOLS_VALUES = `nodeClasses:
  worker-cpu:
    amiAlias: al2023@v20251117
    role: layer-fixture-karpenter-node
    metadataOptions:
      httpEndpoint: enabled
      httpTokens: required
      httpPutResponseHopLimit: 1
  worker-gpu:
    amiAlias: al2023@v20251117
    role: layer-fixture-karpenter-node
    metadataOptions:
      httpEndpoint: enabled
      httpTokens: required
      httpPutResponseHopLimit: 1
`;

const LBC_VALUES = `clusterName: ${CLUSTER}
region: us-east-1
vpcId: vpc-0123456789abcdef0
nodeSelector:
  layer.hev.dev/node-role: system
tolerations:
  - key: layer.hev.dev/node-role
    operator: Equal
    value: system
    effect: NoSchedule
`;

const eventRule = (source: string, detailType: string) => ({ event_pattern: J({ source: [source], "detail-type": [detailType] }) });
const eventTarget = (rule: string) => ({ rule: `\${aws_cloudwatch_event_rule.${rule}.name}`, arn: "${aws_sqs_queue.karpenter_interruptions.arn}" });

export function goodWorld(): AuditStacks {
  return {
    aws: {
      terraform: { backend: { s3: { bucket: "state", key: "layer/fixture/aws.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true } } },
      provider: { aws: [{ region: "us-east-1", allowed_account_ids: ["123456789012"] }] },
      resource: {
        aws_s3_bucket: { data_bucket: { bucket: "layer-fixture-data-123456789012-us-east-1", force_destroy: false, ...protect } },
        aws_s3_bucket_public_access_block: {
          data_bucket_pab: {
            bucket: "${aws_s3_bucket.data_bucket.id}",
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
            restrict_public_buckets: true,
          },
        },
        aws_s3_bucket_ownership_controls: {
          data_bucket_ownership: { bucket: "${aws_s3_bucket.data_bucket.id}", rule: { object_ownership: "BucketOwnerEnforced" } },
        },
        aws_s3_bucket_versioning: { data_bucket_versioning: { bucket: "${aws_s3_bucket.data_bucket.id}", versioning_configuration: { status: "Enabled" } } },
        aws_s3_bucket_server_side_encryption_configuration: {
          data_bucket_sse: {
            bucket: "${aws_s3_bucket.data_bucket.id}",
            rule: [
              {
                apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.data_bucket_key.arn}" },
                bucket_key_enabled: true,
              },
            ],
          },
        },
        aws_s3_bucket_policy: {
          data_bucket_policy: {
            bucket: "${aws_s3_bucket.data_bucket.id}",
            policy: J({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "DenyInsecureTransport",
                  Effect: "Deny",
                  Principal: "*",
                  Action: "s3:*",
                  Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
                  Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
              ],
            }),
          },
        },
        aws_s3_bucket_lifecycle_configuration: {
          data_bucket_lifecycle: {
            bucket: "${aws_s3_bucket.data_bucket.id}",
            rule: [
              {
                id: "base",
                status: "Enabled",
                filter: [{}],
                abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
                noncurrent_version_expiration: [{ noncurrent_days: 30 }],
              },
              { id: "clickstream", status: "Enabled", filter: [{ prefix: "clickstream/" }], expiration: [{ days: 30 }] },
            ],
          },
        },
        aws_kms_key: {
          data_bucket_key: key(),
          image_registry_key: key(),
          cluster_key: key(),
          logs_key: key([
            {
              Sid: "Logs",
              Effect: "Allow",
              Principal: { Service: "logs.us-east-1.amazonaws.com" },
              Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
              Resource: "*",
              Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:*" } },
            },
          ]),
          efs_key: key(),
        },
        aws_ecr_repository: {
          image_registry_gateway: {
            name: "layer-fixture/gateway",
            image_tag_mutability: "IMMUTABLE",
            image_scanning_configuration: { scan_on_push: true },
            encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.image_registry_key.arn}" }],
            force_delete: false,
            ...protect,
          },
        },
        aws_ecr_lifecycle_policy: {
          image_registry_gateway_lifecycle: {
            repository: "${aws_ecr_repository.image_registry_gateway.name}",
            policy: J({
              rules: [
                {
                  rulePriority: 1,
                  selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                  action: { type: "expire" },
                },
                { rulePriority: 2, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 100 }, action: { type: "expire" } },
              ],
            }),
          },
        },
        aws_ecr_repository_policy: {
          image_registry_gateway_policy: {
            repository: "${aws_ecr_repository.image_registry_gateway.name}",
            policy: J({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/ci" }, Action: ["ecr:BatchGetImage"] }],
            }),
          },
        },
        aws_vpc: { network_vpc: { cidr_block: "10.42.0.0/16", enable_dns_support: true, enable_dns_hostnames: true } },
        aws_default_security_group: { network_default_sg: { vpc_id: "${aws_vpc.network_vpc.id}" } },
        aws_subnet: { network_private_a: { vpc_id: "${aws_vpc.network_vpc.id}", cidr_block: "10.42.128.0/20", map_public_ip_on_launch: false } },
        aws_flow_log: {
          network_flow_log: {
            vpc_id: "${aws_vpc.network_vpc.id}",
            traffic_type: "ALL",
            log_destination: "${aws_cloudwatch_log_group.network_flow_logs.arn}",
            iam_role_arn: "${aws_iam_role.flow_logs.arn}",
          },
        },
        aws_cloudwatch_log_group: {
          network_flow_logs: { name: "/layer/fixture/flow-logs", retention_in_days: 90, kms_key_id: "${aws_kms_key.logs_key.arn}", ...protect },
          cluster_logs: { name: `/aws/eks/${CLUSTER}/cluster`, retention_in_days: 365, kms_key_id: "${aws_kms_key.logs_key.arn}", ...protect },
        },
        aws_security_group: {
          efs_mount_targets: { name: "layer-fixture-efs", description: "EFS mount targets: NFS from nodes only", vpc_id: "${aws_vpc.network_vpc.id}" },
        },
        aws_vpc_security_group_ingress_rule: {
          efs_mount_targets_nfs: {
            security_group_id: "${aws_security_group.efs_mount_targets.id}",
            description: "NFS from the cluster security group",
            ip_protocol: "tcp",
            from_port: 2049,
            to_port: 2049,
            referenced_security_group_id: "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}",
          },
        },
        aws_eks_cluster: {
          cluster: {
            name: CLUSTER,
            version: "1.35",
            role_arn: "${aws_iam_role.cluster.arn}",
            vpc_config: {
              subnet_ids: ["${aws_subnet.network_private_a.id}"],
              endpoint_private_access: true,
              endpoint_public_access: true,
              public_access_cidrs: ["198.51.100.0/24"],
            },
            access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
            encryption_config: { resources: ["secrets"], provider: { key_arn: "${aws_kms_key.cluster_key.arn}" } },
            enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            deletion_protection: true,
            ...protect,
          },
        },
        aws_launch_template: {
          system_nodes: {
            metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
            block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: true, volume_size: 50 } }],
            user_data: Buffer.from("MIME-Version: 1.0\n\nnodeadm config").toString("base64"),
          },
        },
        aws_eks_node_group: {
          system_nodes: {
            subnet_ids: ["${aws_subnet.network_private_a.id}", "${aws_subnet.network_private_b.id}"],
            scaling_config: { min_size: 1, desired_size: 1, max_size: 2 },
            update_config: { max_unavailable: 1 },
            labels: { "layer.hev.dev/node-role": "system" },
            taint: [{ key: "layer.hev.dev/node-role", value: "system", effect: "NO_SCHEDULE" }],
          },
        },
        aws_eks_addon: {
          coredns: {
            cluster_name: "${aws_eks_cluster.cluster.name}",
            addon_name: "coredns",
            configuration_values: J({
              nodeSelector: { "layer.hev.dev/node-role": "system" },
              tolerations: [
                { key: "CriticalAddonsOnly", operator: "Exists" },
                { key: "layer.hev.dev/node-role", operator: "Equal", value: "system", effect: "NoSchedule" },
              ],
            }),
          },
        },
        aws_efs_file_system: { efs: { encrypted: true, kms_key_id: "${aws_kms_key.efs_key.arn}", ...protect } },
        aws_efs_mount_target: { efs_a: { file_system_id: "${aws_efs_file_system.efs.id}" }, efs_b: { file_system_id: "${aws_efs_file_system.efs.id}" } },
        aws_efs_backup_policy: { efs_backup: { file_system_id: "${aws_efs_file_system.efs.id}", backup_policy: { status: "ENABLED" } } },
        aws_efs_file_system_policy: {
          efs_policy: {
            file_system_id: "${aws_efs_file_system.efs.id}",
            policy: J({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "DenyInsecure",
                  Effect: "Deny",
                  Principal: { AWS: "*" },
                  Action: "*",
                  Resource: "${aws_efs_file_system.efs.arn}",
                  Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                {
                  Sid: "MountTargetOnly",
                  Effect: "Allow",
                  Principal: { AWS: "*" },
                  Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                  Resource: "${aws_efs_file_system.efs.arn}",
                  Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
                },
              ],
            }),
          },
        },
        aws_efs_access_point: {
          efs_shared: { file_system_id: "${aws_efs_file_system.efs.id}", root_directory: { path: "/shared" }, posix_user: { uid: 1000, gid: 1000 } },
        },
        aws_sqs_queue: {
          karpenter_interruptions: { name: "layer-fixture-karpenter-interruptions", message_retention_seconds: 300, sqs_managed_sse_enabled: true },
        },
        aws_sqs_queue_policy: {
          karpenter_interruptions_policy: {
            queue_url: "${aws_sqs_queue.karpenter_interruptions.url}",
            policy: J({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "EventBridge",
                  Effect: "Allow",
                  Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
                  Action: "sqs:SendMessage",
                  Resource: "${aws_sqs_queue.karpenter_interruptions.arn}",
                },
                {
                  Sid: "DenyHTTP",
                  Effect: "Deny",
                  Principal: "*",
                  Action: "sqs:*",
                  Resource: "${aws_sqs_queue.karpenter_interruptions.arn}",
                  Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
              ],
            }),
          },
        },
        aws_cloudwatch_event_rule: {
          health: eventRule("aws.health", "AWS Health Event"),
          spot: eventRule("aws.ec2", "EC2 Spot Instance Interruption Warning"),
          rebalance: eventRule("aws.ec2", "EC2 Instance Rebalance Recommendation"),
          state: eventRule("aws.ec2", "EC2 Instance State-change Notification"),
          reservation: eventRule("aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"),
        },
        aws_cloudwatch_event_target: {
          health: eventTarget("health"),
          spot: eventTarget("spot"),
          rebalance: eventTarget("rebalance"),
          state: eventTarget("state"),
          reservation: eventTarget("reservation"),
        },
        aws_eks_access_entry: {
          karpenter_node: { cluster_name: "${aws_eks_cluster.cluster.name}", principal_arn: "${aws_iam_role.karpenter_node.arn}", type: "EC2_LINUX" },
          deployer: { cluster_name: "${aws_eks_cluster.cluster.name}", principal_arn: "arn:aws:iam::123456789012:role/layer-deploy", type: "STANDARD" },
        },
        aws_eks_access_policy_association: {
          deployer_cluster_admin: {
            cluster_name: "${aws_eks_cluster.cluster.name}",
            principal_arn: "${aws_eks_access_entry.deployer.principal_arn}",
            policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            access_scope: { type: "cluster" },
          },
        },
        aws_iam_openid_connect_provider: {
          cluster_oidc: { client_id_list: ["sts.amazonaws.com"], url: "${aws_eks_cluster.cluster.identity[0].oidc[0].issuer}" },
        },
        aws_iam_role: {
          cluster: role("cluster", serviceTrust("eks.amazonaws.com")),
          flow_logs: role("flow-logs", serviceTrust("vpc-flow-logs.amazonaws.com")),
          system_node: role("system-node", serviceTrust("ec2.amazonaws.com")),
          karpenter_node: role("karpenter-node", serviceTrust("ec2.amazonaws.com")),
          gateway: role("gateway", irsaTrust("layer", "layer-gateway")),
          dashboard: role("dashboard", irsaTrust("layer", "layer-dashboard")),
          operator: role("operator", irsaTrust("layer", "layer-operator")),
          karpenter_controller: role("karpenter-controller", irsaTrust("kube-system", "karpenter")),
          load_balancer_controller: role("load-balancer-controller", irsaTrust("kube-system", "aws-load-balancer-controller")),
          efs_csi_driver: role(
            "efs-csi-driver",
            J({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { Federated: OIDC },
                  Action: "sts:AssumeRoleWithWebIdentity",
                  Condition: {
                    StringEquals: {
                      [`${ISSUER}:sub`]: ["system:serviceaccount:kube-system:efs-csi-controller-sa", "system:serviceaccount:kube-system:efs-csi-node-sa"],
                      [`${ISSUER}:aud`]: "sts.amazonaws.com",
                    },
                  },
                },
              ],
            }),
          ),
        },
        aws_iam_policy: {
          gateway_data: { name: "layer-fixture-gateway-data", policy: J(GATEWAY_POLICY) },
          dashboard_cost: { name: "layer-fixture-dashboard-cost", policy: J(DASHBOARD_POLICY) },
          operator_data: { name: "layer-fixture-operator-data", policy: J(OPERATOR_POLICY) },
          karpenter_controller: { name: "layer-fixture-karpenter-controller", policy: J(KARPENTER_POLICY) },
          load_balancer_controller: { name: "layer-fixture-load-balancer-controller", policy: J(LBC_POLICY) },
          efs_csi_driver: { name: "layer-fixture-efs-csi-driver", policy: J(EFS_CSI_POLICY) },
        },
        aws_iam_role_policy_attachment: {
          gateway_data: { role: "${aws_iam_role.gateway.name}", policy_arn: "${aws_iam_policy.gateway_data.arn}" },
          dashboard_cost: { role: "${aws_iam_role.dashboard.name}", policy_arn: "${aws_iam_policy.dashboard_cost.arn}" },
          operator_data: { role: "${aws_iam_role.operator.name}", policy_arn: "${aws_iam_policy.operator_data.arn}" },
          karpenter_controller: { role: "${aws_iam_role.karpenter_controller.name}", policy_arn: "${aws_iam_policy.karpenter_controller.arn}" },
          load_balancer_controller: { role: "${aws_iam_role.load_balancer_controller.name}", policy_arn: "${aws_iam_policy.load_balancer_controller.arn}" },
          efs_csi_driver: { role: "${aws_iam_role.efs_csi_driver.name}", policy_arn: "${aws_iam_policy.efs_csi_driver.arn}" },
          system_node_worker: { role: "${aws_iam_role.system_node.name}", policy_arn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" },
          system_node_ecr: { role: "${aws_iam_role.system_node.name}", policy_arn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly" },
          karpenter_node_worker: { role: "${aws_iam_role.karpenter_node.name}", policy_arn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" },
          karpenter_node_ssm: { role: "${aws_iam_role.karpenter_node.name}", policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
        },
        aws_secretsmanager_secret: {
          vector_store_key: { name: "layer-fixture/vector-store", kms_key_id: "${aws_kms_key.data_bucket_key.arn}", recovery_window_in_days: 7, ...protect },
        },
        aws_secretsmanager_secret_rotation: {
          vector_store_key: {
            secret_id: "${aws_secretsmanager_secret.vector_store_key.id}",
            rotation_lambda_arn: "arn:aws:lambda:us-east-1:123456789012:function:rotate",
          },
        },
        aws_dynamodb_table: {
          legacy_locks: { name: "layer-fixture-locks", hash_key: "LockID", point_in_time_recovery: { enabled: true }, deletion_protection_enabled: true },
        },
        aws_acm_certificate: { gateway: { domain_name: "layer.example.com", validation_method: "DNS", lifecycle: { create_before_destroy: true } } },
      },
    },
    helm: {
      terraform: { backend: { s3: { bucket: "state", key: "layer/fixture/helm.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true } } },
      provider: {
        aws: [{ region: "us-east-1" }],
        helm: [
          {
            kubernetes: {
              host: "${data.aws_eks_cluster.cluster.endpoint}",
              exec: { api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token"] },
            },
          },
        ],
        kubernetes: [
          {
            host: "${data.aws_eks_cluster.cluster.endpoint}",
            exec: [{ api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token"] }],
          },
        ],
      },
      variable: { vector_store_api_key: { type: "string", sensitive: true, ephemeral: true } },
      resource: {
        helm_release: {
          layer: {
            name: "layer",
            chart: "../infra/helm/layer",
            namespace: "layer",
            values: [RELEASE_VALUES],
            set_wo: [{ name: "vectorStore.credential.apiKey", value: "${var.vector_store_api_key}" }],
            set_wo_revision: 1,
          },
          worker_pools: { name: "worker-pools", chart: "../../../charts/worker-pools", namespace: "kube-system", values: [POOLS_VALUES] },
          load_balancer_controller: {
            name: "aws-load-balancer-controller",
            repository: "https://aws.github.io/eks-charts",
            chart: "aws-load-balancer-controller",
            version: "3.5.0",
            namespace: "kube-system",
            values: [LBC_VALUES],
          },
        },
      },
    },
  };
}
