import { SharedFileSystem } from "../../addons/efs/aws";
import { STUB_CLUSTER, synthConstructs } from "../helpers/construct-stack";
import { asList, block, onlyResource, resourcesOfType } from "../helpers/terraform-json";

const props = {
  cluster: STUB_CLUSTER,
  creationToken: "layer-test-shared",
  namePrefix: "layer-test",
  accountId: "123456789012",
  partition: "aws",
  subnetKeys: ["us-east-1a", "us-east-1b"],
  csiDriverRoleName: "layer-test-efs-csi-driver",
};
const stack = synthConstructs((scope) => new SharedFileSystem(scope, "efs", props));
const fileSystem = onlyResource(stack, "aws_efs_file_system");

test("EFS-01: encrypted with its own rotating customer-managed key, deterministic creation token", () => {
  expect(fileSystem).toMatchObject({ encrypted: true, kms_key_id: "${aws_kms_key.efs_key.arn}", creation_token: "layer-test-shared" });
  expect(resourcesOfType(stack, "aws_kms_key").efs_key.enable_key_rotation).toBe(true);
});

test("EFS-02: non-TLS access denied to everyone; client actions only through a mount target", () => {
  const policy = JSON.parse(onlyResource(stack, "aws_efs_file_system_policy").policy);
  const deny = policy.Statement.find((s: any) => s.Effect === "Deny");
  expect(deny).toMatchObject({ Principal: { AWS: "*" }, Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  const allows = policy.Statement.filter((s: any) => s.Effect === "Allow");
  expect(allows.length).toBeGreaterThan(0);
  for (const s of allows) {
    expect(s.Condition).toEqual({ Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } });
    for (const a of asList<string>(s.Action)) expect(a).toMatch(/^elasticfilesystem:Client(Mount|Write|RootAccess)$/);
  }
});

test("EFS-03: the backup policy is on", () => {
  expect(block(onlyResource(stack, "aws_efs_backup_policy").backup_policy).status).toBe("ENABLED");
});

test("a mount target in every worker subnet, keyed by zone, behind the standalone group", () => {
  const targets = resourcesOfType(stack, "aws_efs_mount_target");
  expect(Object.keys(targets).sort()).toEqual(["efs_mount_target_us_east_1a", "efs_mount_target_us_east_1b"]);
  expect(
    Object.values(targets)
      .map((t: any) => t.subnet_id)
      .sort(),
  ).toEqual([...STUB_CLUSTER.workerSubnetIds].sort());
  for (const t of Object.values(targets) as any[]) expect(t.security_groups).toEqual(["${aws_security_group.efs_mount_targets.id}"]);
});

test("existing clusters' subnets (a list from a data source) get one mount target per subnet via for_each", () => {
  const { Token } = require("cdktf");
  const listToken = Token.asList("${data.aws_eks_cluster.existing.vpc_config[0].subnet_ids}");
  const existing = synthConstructs(
    (scope) =>
      new SharedFileSystem(scope, "efs", { ...props, subnetKeys: undefined, cluster: { ...STUB_CLUSTER, workerSubnetIds: listToken, managedHere: false } }),
  );
  const target = onlyResource(existing, "aws_efs_mount_target");
  expect(target.for_each).toContain("data.aws_eks_cluster.existing.vpc_config[0].subnet_ids");
  expect(target.subnet_id).toBe("${each.value}");
  expect(resourcesOfType(existing, "aws_eks_addon")).toEqual({});
});

test("NET-03, NET-04: the group only admits TCP 2049 from the cluster security group, with descriptions", () => {
  const group = onlyResource(stack, "aws_security_group");
  expect(group.description).toBeTruthy();
  expect(group.ingress).toBeUndefined();
  expect(group.name_prefix).toBe("layer-test-efs-");
  expect(group.name).toBeUndefined();
  expect(group.lifecycle.create_before_destroy).toBe(true);
  const rules = Object.values(resourcesOfType(stack, "aws_vpc_security_group_ingress_rule"));
  expect(rules).toEqual([
    expect.objectContaining({ ip_protocol: "tcp", from_port: 2049, to_port: 2049, referenced_security_group_id: STUB_CLUSTER.clusterSecurityGroupId }),
  ]);
  expect((rules[0] as any).cidr_ipv4).toBeUndefined();
  expect((rules[0] as any).description).toBeTruthy();
});

test("the security group is never tied to the file system's lifecycle", () => {
  const group = onlyResource(stack, "aws_security_group");
  expect(JSON.stringify(group)).not.toContain("aws_efs_file_system");
  expect(fileSystem.lifecycle?.replace_triggered_by).toBeUndefined();
});

test("IAM-03: the CSI driver role trusts exactly its controller and node service accounts", () => {
  const role = resourcesOfType(stack, "aws_iam_role").efs_csi_driver_role;
  const [trust] = JSON.parse(role.assume_role_policy).Statement;
  expect(trust.Condition.StringLike).toBeUndefined();
  expect(trust.Condition.StringEquals[`${STUB_CLUSTER.oidcProvider.issuerHost}:sub`]).toEqual([
    "system:serviceaccount:kube-system:efs-csi-controller-sa",
    "system:serviceaccount:kube-system:efs-csi-node-sa",
  ]);
  expect(JSON.stringify(trust)).not.toMatch(/efs-csi-\*/);
  const attached = Object.values(resourcesOfType(stack, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
  expect(attached).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"]);
});

test("the CSI driver is the EKS managed add-on with that role", () => {
  expect(onlyResource(stack, "aws_eks_addon")).toMatchObject({
    addon_name: "aws-efs-csi-driver",
    cluster_name: "layer-test",
    service_account_role_arn: "${aws_iam_role.efs_csi_driver_role.arn}",
  });
});

test("LIFE-01: protected environments keep the file system and its key from destroy", () => {
  expect(fileSystem.lifecycle?.prevent_destroy).toBeUndefined();
  const guarded = synthConstructs((scope) => new SharedFileSystem(scope, "efs", { ...props, protected: true }));
  expect(onlyResource(guarded, "aws_efs_file_system").lifecycle.prevent_destroy).toBe(true);
  expect(resourcesOfType(guarded, "aws_kms_key").efs_key.lifecycle.prevent_destroy).toBe(true);
});

test("mismatched mount target keys are refused", () => {
  expect(() => synthConstructs((scope) => new SharedFileSystem(scope, "efs", { ...props, subnetKeys: ["us-east-1a"] }))).toThrow(
    /1 mount target keys for 2 worker subnets/,
  );
});
