/**
 * Reading synthesized Terraform JSON (`cdktf.out/stacks/<stack>/cdk.tf.json`):
 * the one vocabulary the audit, the review and the tests share. It imports
 * nothing of this project, so every layer may use it.
 */

/** One stack's synthesized Terraform JSON; cdktf's `//` metadata keys may appear at any depth. */
export interface StackJson {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  variable?: Record<string, any>;
  provider?: Record<string, any>;
  terraform?: Record<string, any>;
  locals?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Resources that hold data or identity: destroying or replacing one loses it.
 * The review flags their replacement, the audit's LIFE-01 wants
 * prevent_destroy on them in protected environments, and their addresses are
 * pinned by a test.
 */
export const STATEFUL_TYPES = [
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_ecr_repository",
  "aws_efs_file_system",
  "aws_eks_cluster",
  "aws_cloudwatch_log_group",
  "aws_secretsmanager_secret",
  "aws_route53_zone",
] as const;

export interface ResourceEntry {
  /** `aws_s3_bucket.data_bucket`, or `data.aws_eks_cluster.existing` for a data source. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The resource's arguments without cdktf's `//` metadata. */
  readonly config: Record<string, any>;
}

const byAddress = (a: ResourceEntry, b: ResourceEntry) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

function entries(blocks: StackJson["resource"], prefix: string): ResourceEntry[] {
  const out: ResourceEntry[] = [];
  for (const [type, byName] of Object.entries(blocks ?? {})) {
    if (type === "//") continue;
    for (const [name, config] of Object.entries(byName ?? {})) {
      if (name === "//") continue;
      out.push({ address: `${prefix}${type}.${name}`, type, name, config: withoutMetadata(config) });
    }
  }
  return out.sort(byAddress);
}

/** Every managed resource of a stack, sorted by address. */
export function resources(stack: StackJson | undefined): ResourceEntry[] {
  return entries(stack?.resource, "");
}

/** Data sources, addressed `data.<type>.<name>`, sorted by address. */
export function dataSources(stack: StackJson | undefined): ResourceEntry[] {
  return entries(stack?.data, "data.");
}

/** Every `type.name` address of a stack's managed resources, sorted. */
export function addresses(stack: StackJson | undefined): string[] {
  return resources(stack).map((r) => r.address);
}

export function ofType(all: readonly ResourceEntry[], type: string): ResourceEntry[] {
  return all.filter((e) => e.type === type);
}

/** Removes cdktf's `//` metadata keys at every depth. */
export function withoutMetadata<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutMetadata) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = withoutMetadata(v);
    return out as T;
  }
  return value;
}

/** cdktf may emit a nested block as an object or a one-element array: accept both. */
export function block<T = any>(value: T | T[] | undefined): T | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Every element of a repeated block or list; a single value counts as one, absent as none. */
export function asList<T = any>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Alias of {@link asList} for repeated nested blocks. */
export const blocks = asList;

/** True for a Terraform interpolation such as `${var.x}` or `${aws_x.y.id}`. */
export function isToken(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

export interface Reference {
  /** True for `${data.<type>.<name>...}`. */
  readonly data: boolean;
  /** `aws_s3_bucket`, or `var` / `local` for those references. */
  readonly type: string;
  readonly name: string;
  /** `[0]` or `[*]` right after the name, when present. */
  readonly index?: string;
  /** The first attribute after the name (and index): `arn` in `${aws_iam_role.x.arn}`. */
  readonly attribute?: string;
  /** Anything after that attribute inside the braces (`.id`, `[0]`), empty for a plain reference. */
  readonly rest: string;
}

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?(?:\.([A-Za-z0-9_]+))?([^}]*)\}$/;

/** Parses a string that is exactly one `${...}` reference; undefined for anything else. */
export function parseTerraformReference(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const m = REFERENCE.exec(value.trim());
  if (!m) return undefined;
  return { data: !!m[1], type: m[2], name: m[3], index: m[4], attribute: m[5], rest: m[6] };
}

/** A reference to a managed resource (not `var`, `local` or `data`): type, name and first attribute. */
export function parseReference(value: unknown): { type: string; name: string; attribute?: string } | undefined {
  const ref = parseTerraformReference(value);
  if (!ref || ref.data || ref.type === "var" || ref.type === "local") return undefined;
  return { type: ref.type, name: ref.name, attribute: ref.attribute };
}

/** True when `value` is a reference to a resource of `type` (any attribute). */
export function refersTo(value: unknown, type: string, name?: string): boolean {
  const ref = parseReference(value);
  return !!ref && ref.type === type && (name === undefined || ref.name === name);
}

/**
 * `${aws_subnet.network_public_us_east_1a.id}` → `aws_subnet.network_public_us_east_1a`
 * (`data.` kept): the address an attribute reference points at; undefined for
 * anything that is not exactly `${<address>[index].<attribute path>}`.
 */
export function referencedAddress(value: unknown): string | undefined {
  const ref = parseTerraformReference(value);
  if (!ref || ref.type === "var" || ref.type === "local" || !ref.attribute || !/^(\.[A-Za-z0-9_.]+)?$/.test(ref.rest)) return undefined;
  return `${ref.data ? "data." : ""}${ref.type}.${ref.name}`;
}
