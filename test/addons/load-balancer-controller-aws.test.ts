import { LoadBalancerController, loadBalancerControllerPolicies } from "../../addons/load-balancer-controller/aws";
import { STUB_CLUSTER, policyLength, synthConstructs } from "../helpers/construct-stack";
import { asList, resourcesOfType } from "../helpers/terraform-json";

const stack = synthConstructs(
  (scope) =>
    new LoadBalancerController(scope, "load-balancer-controller", { cluster: STUB_CLUSTER, roleName: "layer-test-load-balancer-controller", partition: "aws" }),
);
const role = resourcesOfType(stack, "aws_iam_role").load_balancer_controller_role;
const statements = Object.values(resourcesOfType(stack, "aws_iam_policy")).flatMap((p: any) => JSON.parse(p.policy).Statement);

test("IAM-02..04: IRSA trust for exactly kube-system/aws-load-balancer-controller", () => {
  expect(role.name).toBe("layer-test-load-balancer-controller");
  const [trust] = JSON.parse(role.assume_role_policy).Statement;
  expect(trust.Condition).toEqual({
    StringEquals: {
      [`${STUB_CLUSTER.oidcProvider.issuerHost}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
      [`${STUB_CLUSTER.oidcProvider.issuerHost}:aud`]: "sts.amazonaws.com",
    },
  });
});

test("IAM-15: writes on existing load balancers, target groups and security groups need the controller's cluster tag", () => {
  const destructive = statements.filter((s) =>
    asList<string>(s.Action).some((a) =>
      /^(ec2:DeleteSecurityGroup|elasticloadbalancing:(DeleteLoadBalancer|DeleteTargetGroup|ModifyLoadBalancerAttributes|SetSecurityGroups))$/.test(a),
    ),
  );
  expect(destructive.length).toBeGreaterThan(0);
  for (const s of destructive) expect(s.Condition.Null["aws:ResourceTag/elbv2.k8s.aws/cluster"]).toBe("false");
  const creates = statements.filter((s) => asList<string>(s.Action).includes("elasticloadbalancing:CreateLoadBalancer"));
  expect(creates).toHaveLength(1);
  expect(creates[0].Condition.Null["aws:RequestTag/elbv2.k8s.aws/cluster"]).toBe("false");
});

test("the service-linked role it may create is only the load balancing one", () => {
  const slr = statements.find((s) => asList<string>(s.Action).includes("iam:CreateServiceLinkedRole"));
  expect(slr.Condition).toEqual({ StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } });
});

test("IAM-07: no wildcard action and no iam:* grant", () => {
  for (const s of statements) for (const a of asList<string>(s.Action)) expect(a).not.toMatch(/\*|^iam:(Put|Attach|Create(?!ServiceLinkedRole)|PassRole)/);
});

test("ARNs follow the partition", () => {
  const govStatements = Object.values(loadBalancerControllerPolicies("aws-us-gov")).flatMap((d) => d.Statement);
  const arns = govStatements.flatMap((s) => asList<string>(s.Resource)).filter((r) => r.startsWith("arn:"));
  expect(arns.length).toBeGreaterThan(0);
  for (const arn of arns) expect(arn).toMatch(/^arn:aws-us-gov:/);
});

test("each managed policy stays under 6,144 characters", () => {
  const documents = loadBalancerControllerPolicies("aws-us-gov");
  expect(Object.keys(documents).sort()).toEqual(["discovery", "load-balancers"]);
  for (const document of Object.values(documents)) expect(policyLength(document)).toBeLessThanOrEqual(6144);
});
