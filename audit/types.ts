/**
 * The audit's vocabulary: a rule checks the synthesized Terraform JSON of one
 * environment and returns one finding per resource it looked at.
 */

import type { StackJson } from "../tfjson/stack-json";
import type { AddonName, AddonRelease } from "../addons/catalog";

export type { StackJson };

/** The facts about an environment that rules need (a fixture can invent them). */
export interface AuditEnvironment {
  readonly name: string;
  /** `protected: true`: rows marked "prod" in the security bar apply. */
  readonly protected: boolean;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /**
   * The cluster add-ons the environment enables, with the releases each
   * installs (addons/catalog.ts). Unknown for a fixture that does not say:
   * then only the releases found are checked.
   */
  readonly addons?: ReadonlyArray<{ readonly name: AddonName; readonly releases: readonly AddonRelease[] }>;
}

export interface AuditStacks {
  readonly aws?: StackJson;
  readonly helm?: StackJson;
}

export type Severity = "security" | "reliability";

export interface Finding {
  /** `aws_s3_bucket.data_bucket`, or `<stack>` for stack-level settings. */
  readonly address: string;
  /** Which stack the resource is in: `aws` or `helm`. */
  readonly stack: keyof AuditStacks;
  readonly ok: boolean;
  /** What was found, in a sentence a reviewer can act on. */
  readonly message: string;
}

export interface Rule {
  /** Security-bar id (S3-02, EKS-03, IAM-09) or a project id for checks scanners cannot make. */
  readonly id: string;
  readonly title: string;
  /** Terraform resource types (or `helm_release values`, `terraform.backend`) the rule reads. */
  readonly resourceTypes: readonly string[];
  /** What is checked. */
  readonly checks: string;
  /** Why it matters. */
  readonly why: string;
  /** checkov / trivy ids this rule corresponds to (empty when no scanner covers it). */
  readonly scanners: readonly string[];
  /** True for rows that only apply to protected environments. */
  readonly protectedOnly?: boolean;
  check(ctx: AuditContext): Finding[] | Promise<Finding[]>;
}

export interface ResourceRef {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly stack: keyof AuditStacks;
  readonly body: any;
}

export interface AuditContext {
  readonly env: AuditEnvironment;
  readonly stacks: AuditStacks;
  /** Extra literal strings that must appear nowhere (SEC-04), e.g. a test's canary key. */
  readonly canaries: readonly string[];
  resources(...types: string[]): ResourceRef[];
  /**
   * Template files of a helm_release's chart when it is a local chart of this
   * project (settings hard-coded in templates are reviewable too); undefined
   * for repository charts or when no project is at hand (fixtures).
   */
  chartTemplates(release: ResourceRef): Array<{ file: string; text: string }> | undefined;
  /** The resource a `${type.name.attr}` reference points at, when it exists. */
  resolve(reference: unknown): ResourceRef | undefined;
}
