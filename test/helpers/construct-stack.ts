/**
 * Synthesizes constructs in a throwaway AWS stack with readable addresses,
 * against a stub ClusterContext of plain strings, so AWS-side constructs are
 * tested without the network and cluster that build the real context (the
 * stack brings its account-pinned AWS provider, as every LayerStack does).
 */
import type { Construct } from "constructs";
import { Testing } from "cdktf";
import type { ClusterContext } from "../../constructs/cluster-context";
import { LayerStack } from "../../stacks/layer-stack";
import { MINIMAL_ENVIRONMENT, StackJson, environmentFromYaml } from "./synth";

export const STUB_CLUSTER: ClusterContext = {
  clusterName: "layer-test",
  clusterArn: "arn:aws:eks:us-east-1:123456789012:cluster/layer-test",
  endpoint: "https://ABCDEF.gr7.us-east-1.eks.amazonaws.com",
  certificateAuthorityData: "Y2VydGlmaWNhdGU=",
  oidcProvider: {
    arn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF",
    issuerHost: "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF",
  },
  vpcId: "vpc-0123456789abcdef0",
  workerSubnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  clusterSecurityGroupId: "sg-0cccccccccccccccc",
  managedHere: true,
};

class ConstructTestStack extends LayerStack {}

export function synthConstructs(build: (scope: Construct) => void): StackJson {
  const app = Testing.app();
  const stack = new ConstructTestStack(app, "layer-test-aws", environmentFromYaml(MINIMAL_ENVIRONMENT, "test"));
  build(stack);
  return JSON.parse(Testing.synth(stack, true)) as StackJson;
}

/** Length IAM counts against the managed-policy limit: JSON without whitespace. */
export function policyLength(policy: string | object): number {
  const text = typeof policy === "string" ? policy : JSON.stringify(policy);
  return JSON.stringify(JSON.parse(text)).length;
}
