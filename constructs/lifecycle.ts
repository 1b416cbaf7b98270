import type { TerraformResource } from "cdktf";

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
