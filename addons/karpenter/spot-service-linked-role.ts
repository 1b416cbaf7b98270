import { Construct } from "constructs";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import type { Environment } from "../../config/environment";

export const SPOT_SERVICE_NAME = "spot.amazonaws.com";
/** The role IAM creates for that service, once per account. */
export const SPOT_SERVICE_LINKED_ROLE_NAME = "AWSServiceRoleForEC2Spot";

/**
 * EC2's Spot service-linked role, which Spot needs before it launches an
 * instance for a caller that is not the console. Karpenter does not create
 * it; in an account without it every spot launch fails and Karpenter quietly
 * falls back to on-demand
 * (https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/#create-the-ec2-spot-service-linked-role,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/service-linked-roles-spot-instance-requests.html).
 * The role is account-wide: exactly one environment per account may create it.
 */
export class SpotServiceLinkedRole extends Construct {
  readonly role: IamServiceLinkedRole;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new IamServiceLinkedRole(this, "default", {
      awsServiceName: SPOT_SERVICE_NAME,
      description: "EC2 Spot launches for Karpenter's spot capacity",
    });
  }
}

/** Whether any enabled Karpenter pool may launch spot capacity. */
export function usesSpot(env: Environment): boolean {
  const pools = [env.karpenter.workerCpu, env.karpenter.workerGpu];
  return pools.some((pool) => pool.enabled && pool.capacityTypes.includes("spot"));
}
