import { Testing, TerraformStack } from "cdktf";
import { ClusterAdminAccess } from "../../constructs/cluster-admin-access";
import { block, resourcesOfType } from "../helpers/terraform-json";

function synth(principalArns: string[]): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new ClusterAdminAccess(stack, "admins", { clusterName: "c", partition: "aws", principalArns });
  return JSON.parse(Testing.synth(stack));
}

describe("cluster admin access", () => {
  test("one STANDARD entry and one cluster-scoped AmazonEKSClusterAdminPolicy association per principal (EKS-07)", () => {
    const stack = synth(["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:user/b"]);
    const entries = Object.values<any>(resourcesOfType(stack, "aws_eks_access_entry"));
    expect(entries.map((e) => [e.principal_arn, e.type])).toEqual([
      ["arn:aws:iam::123456789012:role/a", "STANDARD"],
      ["arn:aws:iam::123456789012:user/b", "STANDARD"],
    ]);
    const associations = Object.values<any>(resourcesOfType(stack, "aws_eks_access_policy_association"));
    expect(associations).toHaveLength(2);
    for (const a of associations) {
      expect(a.policy_arn).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
      expect(block<any>(a.access_scope)).toEqual({ type: "cluster" });
      expect(a.principal_arn).toMatch(/^\$\{aws_eks_access_entry\.[^}]+\.principal_arn\}$/);
    }
  });

  test("nothing without principals", () => {
    expect(resourcesOfType(synth([]), "aws_eks_access_entry")).toEqual({});
  });

  test("two principals that would share an address are refused", () => {
    expect(() => synth(["arn:aws:iam::123456789012:role/a.b", "arn:aws:iam::123456789012:role/a-b"])).toThrow(/share the name "role_a_b"/);
  });
});
