/**
 * What a change does to an environment, by Terraform address: resources
 * added, removed and changed between a base synth and the current one.
 * Stateful resources that would be destroyed (address gone: a rename is a
 * destroy and a create) or replaced (a force-new argument changed) are the
 * review's loudest finding. `terraform plan` stays the authority; this runs
 * before any credentials exist.
 */
import type { EnvironmentJson, StackJson } from "./synth-output";
import { STATEFUL_TYPES } from "./inventory";
import { block, resources } from "./terraform-json";

/**
 * Arguments that force a new resource in the AWS provider 5.x (from each
 * resource's documentation: "Forces new resource"), for the stateful types.
 * Dotted paths address nested blocks.
 */
export const FORCE_NEW_ARGUMENTS: Record<(typeof STATEFUL_TYPES)[number], readonly string[]> = {
  aws_s3_bucket: ["bucket", "bucket_prefix", "object_lock_enabled"],
  aws_kms_key: ["customer_master_key_spec", "key_usage", "multi_region", "custom_key_store_id", "xks_key_id"],
  aws_ecr_repository: ["name"],
  aws_efs_file_system: ["creation_token", "encrypted", "kms_key_id", "performance_mode", "availability_zone_name"],
  aws_eks_cluster: [
    "name",
    "role_arn",
    "bootstrap_self_managed_addons",
    "vpc_config.subnet_ids",
    "vpc_config.security_group_ids",
    "kubernetes_network_config.service_ipv4_cidr",
    "kubernetes_network_config.ip_family",
    "access_config.bootstrap_cluster_creator_admin_permissions",
    "outpost_config",
  ],
  aws_cloudwatch_log_group: ["name", "name_prefix"],
  aws_secretsmanager_secret: ["name", "name_prefix"],
  aws_route53_zone: ["name", "delegation_set_id"],
};

export interface AddressRef {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
}

export interface ChangedResource extends AddressRef {
  /** Dotted argument paths whose value differs. */
  readonly attributes: string[];
}

export interface Replacement extends AddressRef {
  readonly kind: "destroyed" | "replaced";
  readonly reason: string;
  readonly attributes: string[];
  /** Added addresses of the same type: a rename that needs a `moved` block. */
  readonly possiblyRenamedTo: string[];
}

export interface Diff {
  /** What the change was compared with (a directory or a git ref); null without a base. */
  readonly base: string | null;
  readonly added: AddressRef[];
  readonly removed: AddressRef[];
  readonly changed: ChangedResource[];
  /** `moved` blocks the current synth declares (not destroys). */
  readonly moved: { stack: string; from: string; to: string }[];
  readonly replacements: Replacement[];
  /** Stateful resources that lose `prevent_destroy`. */
  readonly protectionRemoved: AddressRef[];
}

export function emptyDiff(base: string | null = null): Diff {
  return { base, added: [], removed: [], changed: [], moved: [], replacements: [], protectionRemoved: [] };
}

const isStateful = (type: string): type is (typeof STATEFUL_TYPES)[number] => (STATEFUL_TYPES as readonly string[]).includes(type);

export function diffEnvironment(base: EnvironmentJson | undefined, current: EnvironmentJson | undefined, baseLabel: string): Diff {
  const diff = emptyDiff(baseLabel);
  const stackNames = [...new Set([...Object.keys(base?.stacks ?? {}), ...Object.keys(current?.stacks ?? {})])].sort();
  for (const stack of stackNames) diffStack(stack, base?.stacks[stack], current?.stacks[stack], diff);
  return diff;
}

function diffStack(stack: string, base: StackJson | undefined, current: StackJson | undefined, diff: Diff): void {
  const before = new Map(resources(base).map((r) => [r.address, r]));
  const after = new Map(resources(current).map((r) => [r.address, r]));
  const moved = movedBlocks(current);
  diff.moved.push(...moved.map((m) => ({ stack, ...m })));
  const movedFrom = new Map(moved.map((m) => [m.from, m.to]));
  const movedTo = new Set(moved.map((m) => m.to));

  const added = [...after.values()].filter((r) => !before.has(r.address) && !movedTo.has(r.address));
  diff.added.push(...added.map((r) => ({ stack, address: r.address, type: r.type })));

  for (const [address, old] of before) {
    const now = after.get(address) ?? (movedFrom.has(address) ? after.get(movedFrom.get(address)!) : undefined);
    if (!now) {
      diff.removed.push({ stack, address, type: old.type });
      if (isStateful(old.type)) {
        const candidates = added.filter((a) => a.type === old.type).map((a) => a.address);
        diff.replacements.push({
          stack,
          address,
          type: old.type,
          kind: "destroyed",
          reason:
            candidates.length > 0
              ? `address removed while ${candidates.join(", ")} is added: a rename destroys and recreates it (add a moved block)`
              : "address removed: Terraform destroys it",
          attributes: [],
          possiblyRenamedTo: candidates,
        });
      }
      continue;
    }
    const attributes = changedPaths(old.config, now.config);
    if (attributes.length === 0) continue;
    diff.changed.push({ stack, address, type: old.type, attributes });
    if (isStateful(old.type)) {
      const forceNew = attributes.filter((a) =>
        FORCE_NEW_ARGUMENTS[old.type as (typeof STATEFUL_TYPES)[number]].some((f: string) => a === f || a.startsWith(`${f}.`) || a.startsWith(`${f}[`)),
      );
      if (forceNew.length > 0) {
        diff.replacements.push({
          stack,
          address,
          type: old.type,
          kind: "replaced",
          reason: `force-new argument(s) changed: ${forceNew.join(", ")}`,
          attributes: forceNew,
          possiblyRenamedTo: [],
        });
      }
      const wasProtected = block(old.config.lifecycle)?.prevent_destroy === true;
      const isProtectedNow = block(now.config.lifecycle)?.prevent_destroy === true;
      if (wasProtected && !isProtectedNow) diff.protectionRemoved.push({ stack, address, type: old.type });
    }
  }
}

/** `moved` blocks of a stack's JSON (`[{ from, to }]`). */
function movedBlocks(stack: StackJson | undefined): { from: string; to: string }[] {
  const raw = (stack as Record<string, unknown> | undefined)?.moved;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list
    .filter((m): m is { from: string; to: string } => typeof m?.from === "string" && typeof m?.to === "string")
    .map((m) => ({ from: m.from, to: m.to }));
}

/**
 * Leaf paths whose values differ. One-element lists of objects are read as
 * the object (cdktf may emit a block either way), so `vpc_config.subnet_ids`
 * names the same argument in both.
 */
export function changedPaths(a: unknown, b: unknown): string[] {
  const left = flatten(a);
  const right = flatten(b);
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort();
  const changed = keys.filter((k) => left.get(k) !== right.get(k));
  // Report a list argument once, not once per element.
  return [...new Set(changed.map((k) => k.replace(/\[\d+\].*$/, "")))];
}

function flatten(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.length === 1 && value[0] && typeof value[0] === "object" && !Array.isArray(value[0])) return flatten(value[0], prefix, out);
    if (value.length === 0) out.set(prefix, "[]");
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
    return out;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([k]) => k !== "//");
    if (entries.length === 0) out.set(prefix, "{}");
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  out.set(prefix, JSON.stringify(value));
  return out;
}
