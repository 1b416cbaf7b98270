import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { asList, block, onlyResource, parsePolicy, resourcesOfType } from "../helpers/terraform-json";
import { principalKey } from "../../constructs/cluster-admin-access";

const dev = synthExample("dev").aws!;
const prod = synthExample("prod").aws!;
const cluster = (stack = dev) => onlyResource(stack, "aws_eks_cluster");
const synthYaml = (extra: string) => synthEnvironment(environmentFromYaml(`${MINIMAL_ENVIRONMENT}${extra}`)).aws!;

describe("EKS cluster", () => {
  test("secrets are envelope-encrypted with the cluster's own rotating key, resources exactly [secrets] (EKS-01, KMS-01)", () => {
    const encryption = block<any>(cluster().encryption_config);
    expect(encryption.resources).toEqual(["secrets"]);
    expect(block<any>(encryption.provider).key_arn).toBe("${aws_kms_key.eks_cluster_secrets_key.arn}");
    const key = resourcesOfType(dev, "aws_kms_key").eks_cluster_secrets_key;
    expect(key).toMatchObject({ enable_key_rotation: true, is_enabled: true });
    // The control plane may use the key through its role.
    const policy = parsePolicy(resourcesOfType(dev, "aws_iam_policy").eks_cluster_role_encryption_policy.policy).Statement;
    expect(policy).toEqual([
      expect.objectContaining({
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
        Resource: "${aws_kms_key.eks_cluster_secrets_key.arn}",
      }),
    ]);
  });

  test("private endpoint always on; public endpoint only with its allowlist, never 0.0.0.0/0 (EKS-02, EKS-03)", () => {
    expect(block<any>(cluster().vpc_config)).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ["203.0.113.0/24"],
    });
    const closed = block<any>(cluster(synthYaml("")).vpc_config);
    expect(closed.endpoint_private_access).toBe(true);
    expect(closed.endpoint_public_access).toBe(false);
    expect(closed.public_access_cidrs).toBeUndefined();
    for (const stack of [dev, prod]) expect(block<any>(cluster(stack).vpc_config).public_access_cidrs).not.toContain("0.0.0.0/0");
  });

  test("control-plane logs: configured types into a declared, encrypted log group with retention, created first (EKS-04, EKS-05, CW-01)", () => {
    expect(cluster().enabled_cluster_log_types).toEqual(["api", "audit", "authenticator"]);
    expect(cluster(prod).enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(cluster().depends_on).toContain("aws_cloudwatch_log_group.eks_cluster_logs");
    for (const [stack, retention] of [
      [dev, 90],
      [prod, 365],
    ] as const) {
      expect(resourcesOfType(stack, "aws_cloudwatch_log_group").eks_cluster_logs).toMatchObject({
        name: `/aws/eks/${cluster(stack).name}/cluster`,
        retention_in_days: retention,
        kms_key_id: "${aws_kms_key.eks_cluster_logs_key.arn}",
      });
    }
  });

  test("the log key lets CloudWatch Logs use it for this log group only (KMS-02)", () => {
    const key = resourcesOfType(dev, "aws_kms_key").eks_cluster_logs_key;
    expect(key.enable_key_rotation).toBe(true);
    const statements = parsePolicy(key.policy).Statement;
    const logs = statements.find((s: any) => s.Principal?.Service);
    expect(logs.Principal.Service).toBe("logs.us-east-1.amazonaws.com");
    expect(logs.Condition).toEqual({
      ArnEquals: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/layer-dev/cluster" },
    });
    // Nothing else is allowed to "*" without a condition.
    for (const s of statements.filter((x: any) => x.Effect === "Allow" && !x.Condition)) {
      expect(s.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    }
  });

  test("API authentication, no creator admin, no self-managed add-ons, configured version (EKS-06, EKS-07, EKS-08)", () => {
    expect(block<any>(cluster().access_config)).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster().bootstrap_self_managed_addons).toBe(false);
    expect(cluster().version).toBe("1.35");
    expect(cluster(synthYaml('cluster:\n  kubernetesVersion: "1.33"\n')).version).toBe("1.33");
  });

  test("cluster role: EKS service trust, AmazonEKSClusterPolicy", () => {
    const role = resourcesOfType(dev, "aws_iam_role").eks_cluster_role;
    expect(role.name).toBe("layer-dev-cluster");
    expect(parsePolicy(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "eks.amazonaws.com" });
    expect(resourcesOfType(dev, "aws_iam_role_policy_attachment").eks_cluster_role_cluster_policy.policy_arn).toBe(
      "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    );
  });

  test("admin principals get an access entry and a cluster-scoped AmazonEKSClusterAdminPolicy, keyed by name (EKS-07)", () => {
    // Admin entries only; nodes' EC2_LINUX entries (Karpenter) are tested with their construct.
    const standard = (stack: typeof dev) =>
      Object.fromEntries(Object.entries(resourcesOfType(stack, "aws_eks_access_entry")).filter(([, e]: [string, any]) => e.type === "STANDARD"));
    // The deploying identity (deployPrincipalArn) is the first admin: without it the Helm stack gets 401.
    expect(Object.values<any>(standard(dev)).map((e) => e.principal_arn)).toEqual(["arn:aws:iam::123456789012:role/layer-deploy"]);
    const entries = standard(prod);
    expect(Object.keys(entries).sort()).toEqual(["eks_cluster_admin_access_role_layer_deploy", "eks_cluster_admin_access_role_platform_admin"]);
    expect(entries.eks_cluster_admin_access_role_platform_admin).toMatchObject({
      cluster_name: "${aws_eks_cluster.eks_cluster.name}",
      principal_arn: "arn:aws:iam::210987654321:role/platform-admin",
      type: "STANDARD",
    });
    const association = resourcesOfType(prod, "aws_eks_access_policy_association").eks_cluster_admin_access_role_platform_admin_cluster_admin;
    expect(Object.keys(resourcesOfType(prod, "aws_eks_access_policy_association"))).toHaveLength(2);
    expect(association).toMatchObject({
      principal_arn: "${aws_eks_access_entry.eks_cluster_admin_access_role_platform_admin.principal_arn}",
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
    });
    expect(block<any>(association.access_scope)).toEqual({ type: "cluster" });
  });

  test("reordering admin principals changes no address", () => {
    const a = "arn:aws:iam::123456789012:role/alice";
    const b = "arn:aws:iam::123456789012:user/ops/bob";
    const yaml = (arns: string[]) => `cluster:\n  adminPrincipalArns: [${arns.join(", ")}]\n`;
    const admins = (stack: any) =>
      Object.fromEntries(Object.entries(resourcesOfType(stack, "aws_eks_access_entry")).filter(([k]) => k.startsWith("eks_cluster_admin_access_")));
    const first = admins(synthYaml(yaml([a, b])));
    const second = admins(synthYaml(yaml([b, a])));
    expect(Object.keys(first).sort()).toEqual([
      "eks_cluster_admin_access_role_alice",
      "eks_cluster_admin_access_role_layer_deploy",
      "eks_cluster_admin_access_user_ops_bob",
    ]);
    for (const key of Object.keys(first)) expect(second[key].principal_arn).toBe(first[key].principal_arn);
    expect(principalKey("arn:aws:iam::123456789012:role/team/Platform-Admin")).toBe("role_team_platform_admin");
  });

  test("IAM OIDC provider for IRSA: sts.amazonaws.com audience, the cluster's issuer (IAM-01)", () => {
    const provider = onlyResource(dev, "aws_iam_openid_connect_provider");
    expect(provider.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(provider.url).toBe("${aws_eks_cluster.eks_cluster.identity[0].oidc[0].issuer}");
  });

  test("managed add-ons: vpc-cni, kube-proxy and pod identity before the nodes, coredns after, OVERWRITE on conflicts", () => {
    // The cluster's own add-ons; the EFS CSI driver add-on belongs to addons/efs/aws.ts.
    const addons = Object.fromEntries(Object.entries(resourcesOfType(dev, "aws_eks_addon")).filter(([k]) => k.startsWith("eks_cluster")));
    expect(
      Object.values<any>(addons)
        .map((a) => a.addon_name)
        .sort(),
    ).toEqual(["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    for (const addon of Object.values<any>(addons)) {
      expect(addon.resolve_conflicts_on_update).toBe("OVERWRITE");
      expect(addon.cluster_name).toBe("${aws_eks_cluster.eks_cluster.name}");
      expect(addon.addon_version).toBeUndefined();
    }
    const nodeGroup = onlyResource(dev, "aws_eks_node_group");
    // Node networking before compute: the node group waits for vpc-cni, kube-proxy and the pod identity agent.
    expect(nodeGroup.depends_on).toEqual(
      expect.arrayContaining([
        "aws_eks_addon.eks_cluster_addon_vpc_cni",
        "aws_eks_addon.eks_cluster_addon_kube_proxy",
        "aws_eks_addon.eks_cluster_addon_eks_pod_identity_agent",
      ]),
    );
    expect(addons.eks_cluster_addon_kube_proxy.depends_on ?? []).not.toContain("aws_eks_node_group.system_node_group");
    expect(addons.eks_cluster_addon_coredns.depends_on).toEqual(["aws_eks_node_group.system_node_group"]);
    // aws-node gets its ENI rights before it starts: vpc-cni waits for the CNI policy attachment of its role.
    const cniAttachment = Object.entries<any>(resourcesOfType(dev, "aws_iam_role_policy_attachment")).find(
      ([, a]) => a.role === "${aws_iam_role.eks_cluster_vpc_cni_role.name}" && /AmazonEKS_CNI_Policy$/.test(a.policy_arn),
    )!;
    expect(addons.eks_cluster_addon_vpc_cni.depends_on).toContain(`aws_iam_role_policy_attachment.${cniAttachment[0]}`);
  });

  test("pinned add-on versions are used as given", () => {
    const stack = synthYaml("cluster:\n  addonVersions:\n    vpcCni: v1.20.4-eksbuild.1\n    coreDns: v1.12.4-eksbuild.1\n");
    const addons = resourcesOfType(stack, "aws_eks_addon");
    expect(addons.eks_cluster_addon_vpc_cni.addon_version).toBe("v1.20.4-eksbuild.1");
    expect(addons.eks_cluster_addon_coredns.addon_version).toBe("v1.12.4-eksbuild.1");
    expect(addons.eks_cluster_addon_kube_proxy.addon_version).toBeUndefined();
  });

  test("aws-node runs with its own IRSA role carrying AmazonEKS_CNI_Policy (moved off the node role, IAM-14)", () => {
    expect(resourcesOfType(dev, "aws_eks_addon").eks_cluster_addon_vpc_cni.service_account_role_arn).toBe("${aws_iam_role.eks_cluster_vpc_cni_role.arn}");
    expect(resourcesOfType(dev, "aws_iam_role").eks_cluster_vpc_cni_role.name).toBe("layer-dev-vpc-cni");
    expect(resourcesOfType(dev, "aws_iam_role_policy_attachment").eks_cluster_vpc_cni_role_cni_policy.policy_arn).toBe(
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    );
  });

  test("the cluster security group carries the Karpenter discovery tag", () => {
    expect(onlyResource(dev, "aws_ec2_tag")).toMatchObject({
      resource_id: "${aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id}",
      key: "karpenter.sh/discovery",
      value: "layer-dev",
    });
  });

  test("prod protects the cluster, its keys and its log group from destroy; dev does not (LIFE-01)", () => {
    const stateful = (stack: any) => [
      cluster(stack),
      resourcesOfType(stack, "aws_kms_key").eks_cluster_secrets_key,
      resourcesOfType(stack, "aws_kms_key").eks_cluster_logs_key,
      resourcesOfType(stack, "aws_cloudwatch_log_group").eks_cluster_logs,
    ];
    for (const resource of stateful(prod)) expect(resource.lifecycle).toEqual({ prevent_destroy: true });
    for (const resource of stateful(dev)) expect(resource.lifecycle).toBeUndefined();
    // LIFE-03 (deletion_protection) needs AWS provider >= 6.28; recorded in docs/cluster.md.
    expect(cluster(prod).deletion_protection).toBeUndefined();
  });

  test("control-plane network interfaces go into the worker subnets", () => {
    expect(asList(block<any>(cluster().vpc_config).subnet_ids)).toEqual([
      "${aws_subnet.network_public_us_east_1a.id}",
      "${aws_subnet.network_public_us_east_1b.id}",
    ]);
  });
});
