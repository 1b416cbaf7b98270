import { Construct, Node } from "constructs";
import { LocalBackend, S3Backend, TerraformElement, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
import type { Environment } from "../config/environment";
import { defaultTags } from "../config/naming";
import { stateKey } from "../config/state-keys";

/**
 * Base for every stack of an environment: its backend and an AWS provider
 * pinned to the environment's account and region.
 *
 * Terraform addresses are built from the construct path (`data-bucket/key`
 * becomes `data_bucket_key`) instead of cdktf's hashed ids, so plans read
 * like the code and a refactor that moves a stateful resource shows up as a
 * changed address in the pinned-address test. A child named `default` takes
 * its parent's name.
 */
export abstract class LayerStack extends TerraformStack {
  constructor(
    scope: Construct,
    name: string,
    readonly env: Environment,
  ) {
    super(scope, name);
    // Write-only arguments and S3 lock files need Terraform 1.11.
    this.addOverride("terraform.required_version", ">= 1.11.0");
    configureBackend(this, name, env);
    new AwsProvider(this, "aws", {
      region: env.region,
      // A deploy with credentials for another account stops before any change.
      allowedAccountIds: [env.accountId],
      defaultTags: [{ tags: defaultTags(env) }],
    });
  }

  /**
   * cdktf checks the terraform binary at synth for some elements
   * (`terraform_data` runs `terraform version` and asks for >= 1.4). The stack
   * declares `required_version >= 1.11.0`, which terraform itself enforces
   * whenever it runs, so synth needs no terraform on PATH: those checks are
   * dropped and every other validation runs.
   */
  runAllValidations(): void {
    for (const construct of this.node.findAll()) {
      const node = construct.node as unknown as { _validations?: unknown[] };
      if (node._validations) node._validations = node._validations.filter((v) => !(v instanceof ValidateTerraformVersion));
    }
    super.runAllValidations();
  }

  /** Logical id → the construct path that holds it, so two paths never share an address. */
  private readonly logicalIds = new Map<string, string>();

  allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof Node ? element : element.node;
    const stackIndex = node.scopes.indexOf(this);
    const parts = node.scopes
      .slice(stackIndex + 1)
      .map((c) => c.node.id)
      .filter((id) => id !== "default" && id !== "Default");
    const id = parts.map((p) => p.replace(/[^A-Za-z0-9]+/g, "_").toLowerCase()).join("_");
    // `a-b/c` and `a/b-c` both become `a_b_c`: one resource would silently replace the other.
    const holder = this.logicalIds.get(id);
    if (holder !== undefined && holder !== node.path) {
      throw new Error(`${this.node.id}: constructs ${holder} and ${node.path} both map to the Terraform address ${id}; rename one of them`);
    }
    this.logicalIds.set(id, node.path);
    return id;
  }
}

/**
 * S3 state with encryption and the native S3 lock file when configured;
 * otherwise a local state file next to the project (never an absolute
 * machine path: terraform runs in cdktf.out/stacks/<stack>/).
 */
function configureBackend(stack: TerraformStack, stackName: string, env: Environment): void {
  const s3 = env.backend.s3;
  if (!s3) {
    new LocalBackend(stack, { path: `../../../terraform.${stackName}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    bucket: s3.bucket,
    // One state file per stack (config/state-keys.ts refuses two stacks sharing one).
    key: stateKey(env, stackName),
    region: s3.region ?? env.region,
    encrypt: true,
    ...(s3.kmsKeyId ? { kmsKeyId: s3.kmsKeyId } : {}),
  });
  // cdktf 0.21's S3Backend predates `use_lockfile` (Terraform 1.11 S3-native locking).
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
