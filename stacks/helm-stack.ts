import { Construct } from "constructs";
import type { Environment } from "../config/environment";
import { helmStackName } from "../config/environment";
import { LayerStack } from "./layer-stack";

/**
 * `layer-<env>-helm`: everything that talks to the Kubernetes API of the
 * environment's cluster. Deployed after `layer-<env>-aws`.
 */
export class HelmStack extends LayerStack {
  constructor(scope: Construct, env: Environment) {
    super(scope, helmStackName(env), env);
  }
}
