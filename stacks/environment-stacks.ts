import { Construct } from "constructs";
import type { Environment } from "../config/environment";
import { createsAwsStack } from "../config/environment";
import { AwsStack } from "./aws-stack";
import { HelmStack } from "./helm-stack";

export interface EnvironmentStacks {
  readonly aws?: AwsStack;
  readonly helm: HelmStack;
}

/** The stacks of one environment: AWS (unless helm-only), then Helm. */
export function addEnvironment(scope: Construct, env: Environment): EnvironmentStacks {
  const aws = createsAwsStack(env) ? new AwsStack(scope, env) : undefined;
  const helm = new HelmStack(scope, env);
  if (aws) helm.addDependency(aws);
  return { aws, helm };
}
