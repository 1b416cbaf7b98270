/**
 * The AWS halves of the add-ons as the AWS stack builds them from the registry: names from
 * config/naming.ts (what the Helm stack rebuilds), mode switches, outputs.
 */
import type { Construct } from "constructs";
import { addAddonsAws } from "../../addons/registry";
import type { Environment } from "../../config/environment";
import type { ClusterContext } from "../../constructs/cluster-context";
import { roleArn, roleName } from "../../config/naming";
import { MINIMAL_ENVIRONMENT, environmentFromYaml } from "../helpers/synth";
import { STUB_CLUSTER, synthConstructs } from "../helpers/construct-stack";
import { resourcesOfType } from "../helpers/terraform-json";

/** The AWS halves as the AWS stack builds them (without the VPC CNI's own role unless told). */
const addClusterAddonsAws = (stack: Construct, env: Environment, cluster: ClusterContext, options: { cniHasOwnRole?: boolean } = {}) =>
  addAddonsAws({ stack, env, cluster, cniHasOwnRole: options.cniHasOwnRole ?? false });

const fresh = environmentFromYaml(MINIMAL_ENVIRONMENT, "dev");
const stack = synthConstructs((scope) => addClusterAddonsAws(scope, fresh, STUB_CLUSTER, { cniHasOwnRole: true }));

test("roles, queue and file system carry the names the Helm stack rebuilds", () => {
  const roles = Object.values(resourcesOfType(stack, "aws_iam_role"))
    .map((r: any) => r.name)
    .sort();
  expect(roles).toEqual(
    [
      roleName(fresh, "karpenter-controller"),
      roleName(fresh, "karpenter-node"),
      roleName(fresh, "load-balancer-controller"),
      roleName(fresh, "efs-csi-driver"),
    ].sort(),
  );
  expect(roleArn(fresh, "karpenter-controller")).toBe("arn:aws:iam::123456789012:role/layer-dev-karpenter-controller");
  expect(resourcesOfType(stack, "aws_sqs_queue").karpenter_interruption_queue.name).toBe("layer-dev-karpenter-interruptions");
  expect(resourcesOfType(stack, "aws_efs_file_system").efs.creation_token).toBe("layer-dev-shared");
});

test("mount targets are keyed by availability zone", () => {
  expect(Object.keys(resourcesOfType(stack, "aws_efs_mount_target")).sort()).toEqual(["efs_mount_target_us_east_1a", "efs_mount_target_us_east_1b"]);
});

test("IAM-14: with the VPC CNI on its own role, the Karpenter node role has no CNI policy", () => {
  const arns = Object.values(resourcesOfType(stack, "aws_iam_role_policy_attachment"))
    .filter((a: any) => a.role === "${aws_iam_role.karpenter_node_role.name}")
    .map((a: any) => a.policy_arn.split("/").pop())
    .sort();
  expect(arns).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonSSMManagedInstanceCore"]);
});

test("outputs: queue, node role, controller roles, EFS id", () => {
  expect(Object.keys(stack.output ?? {}).sort()).toEqual(
    [
      "efs_csi_driver_role_arn",
      "efs_file_system_id",
      "karpenter_controller_role_arn",
      "karpenter_node_role_name",
      "karpenter_queue_name",
      "load_balancer_controller_role_arn",
    ].sort(),
  );
});

test("each add-on has its own switch", () => {
  const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}karpenter:\n  enabled: false\nefs:\n  enabled: false\n`, "dev");
  const only = synthConstructs((scope) => addClusterAddonsAws(scope, env, STUB_CLUSTER));
  expect(Object.values(resourcesOfType(only, "aws_iam_role")).map((r: any) => r.name)).toEqual(["layer-dev-load-balancer-controller"]);
  expect(resourcesOfType(only, "aws_sqs_queue")).toEqual({});
  expect(resourcesOfType(only, "aws_efs_file_system")).toEqual({});
});

test("existing-cluster mode creates nothing unless enabled; enabled Karpenter skips the access entry and keeps CNI on the node role", () => {
  const existing = environmentFromYaml(`${MINIMAL_ENVIRONMENT}mode: existing-cluster\ncluster:\n  name: platform\n`, "shared");
  const cluster = { ...STUB_CLUSTER, managedHere: false };
  expect(
    resourcesOfType(
      synthConstructs((scope) => addClusterAddonsAws(scope, existing, cluster)),
      "aws_iam_role",
    ),
  ).toEqual({});
  const enabled = environmentFromYaml(`${MINIMAL_ENVIRONMENT}mode: existing-cluster\ncluster:\n  name: platform\nkarpenter:\n  enabled: true\n`, "shared");
  const withKarpenter = synthConstructs((scope) => addClusterAddonsAws(scope, enabled, cluster));
  expect(resourcesOfType(withKarpenter, "aws_eks_access_entry")).toEqual({});
  const arns = Object.values(resourcesOfType(withKarpenter, "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn);
  expect(arns).toContain("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
  // Tag conditions name the configured cluster, not the environment's prefix.
  expect(JSON.stringify(resourcesOfType(withKarpenter, "aws_iam_policy"))).toContain("kubernetes.io/cluster/platform");
});

describe("the EC2 Spot service-linked role", () => {
  const spotRoles = (yaml: string) =>
    resourcesOfType(
      synthConstructs((scope) => addClusterAddonsAws(scope, environmentFromYaml(`${MINIMAL_ENVIRONMENT}${yaml}`, "spot"), STUB_CLUSTER)),
      "aws_iam_service_linked_role",
    );

  test("is created when a Karpenter pool allows spot (the default), for spot.amazonaws.com", () => {
    expect(Object.values<any>(resourcesOfType(stack, "aws_iam_service_linked_role"))).toEqual([
      expect.objectContaining({ aws_service_name: "spot.amazonaws.com" }),
    ]);
  });

  test("is not created when the environment says the account already has it", () => {
    expect(spotRoles("karpenter:\n  spotServiceLinkedRole: exists\n")).toEqual({});
  });

  test("is not created when no pool allows spot, or without Karpenter", () => {
    expect(spotRoles("karpenter:\n  workerCpu:\n    capacityTypes: [on-demand]\n  workerGpu:\n    capacityTypes: [on-demand]\n")).toEqual({});
    expect(spotRoles("karpenter:\n  enabled: false\n")).toEqual({});
    expect(Object.keys(spotRoles("karpenter:\n  workerCpu:\n    capacityTypes: [on-demand]\n"))).toHaveLength(1); // the GPU pool still allows spot
  });
});
