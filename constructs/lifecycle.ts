import { IAspect, TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Protected environments refuse to destroy stateful resources. Terraform only
 * accepts a literal here, which is why the value is decided at synth time.
 * Service-side guards (force_destroy false, ECR force_delete off, KMS deletion
 * windows) stay on in every environment because `prevent_destroy` vanishes
 * with the resource block.
 */
export function protectFromDestroy(resource: TerraformResource, isProtected: boolean): void {
  if (isProtected) {
    resource.lifecycle = { ...(resource.lifecycle ?? {}), preventDestroy: true };
  }
}

/**
 * Gives every resource of the matching types under a scope `prevent_destroy`,
 * including resources added later by other constructs (it runs at synth).
 * A protected environment's Helm stack uses it so `cdktf destroy
 * layer-<env>-helm` is refused like the AWS stack's, before any release goes.
 */
export class PreventDestroyOf implements IAspect {
  constructor(private readonly matchesType: (terraformResourceType: string) => boolean) {}

  visit(node: IConstruct): void {
    if (node instanceof TerraformResource && this.matchesType(node.terraformResourceType)) protectFromDestroy(node, true);
  }
}
