/**
 * No helm or kubernetes provider binary is available offline, so the Helm
 * stack is checked through a copy in which every helm_* and kubernetes_*
 * resource becomes a `terraform_data` whose input is the original body.
 * Terraform then still resolves every `${...}` expression, reference and
 * depends_on of those resources: a dangling reference or a wrong attribute
 * path on an AWS data source fails `terraform validate`.
 */
import type { StackJson } from "../../tfjson/stack-json";

const STUBBED = /^(helm|kubernetes)_/;
const META_ARGUMENTS = new Set(["depends_on", "lifecycle", "provider", "count", "for_each", "//"]);

export function stubbedName(type: string, name: string): string {
  return `${type}__${name}`;
}

/** Rewrites `helm_release.x.attr` into `terraform_data.helm_release__x.output.attr`. */
function rewriteReferences(text: string, ephemeralVariables: Set<string>): string {
  const out = text.replace(
    /(?<![\w.])((?:helm|kubernetes)_[a-z0-9_]+)\.([a-zA-Z0-9_-]+)(?=[.\[}\s),]|$)/g,
    (_m, type: string, name: string) => `terraform_data.${stubbedName(type, name)}.output`,
  );
  // Ephemeral values may only flow into write-only arguments; in the stub the whole expression that uses one becomes null.
  const ephemeralRef = new RegExp(`(?<![\\w.])(ephemeral\\.[a-z0-9_]+\\.|var\\.(${[...ephemeralVariables].join("|") || "(?!)"})\\b)`);
  const whole = /^\$\{([\s\S]*)\}$/.exec(out);
  if (whole && ephemeralRef.test(whole[1])) return `\${ephemeralasnull(${whole[1]})}`;
  return out;
}

function rewriteDeep(value: unknown, ephemeral: Set<string>): unknown {
  if (typeof value === "string") return rewriteReferences(value, ephemeral);
  if (Array.isArray(value)) return value.map((v) => rewriteDeep(v, ephemeral));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteDeep(v, ephemeral)]));
  }
  return value;
}

/** depends_on names whole resources: `helm_release.x` becomes `terraform_data.helm_release__x`. */
function stubbedDependency(address: string): string {
  const [type, name] = address.split(".");
  return STUBBED.test(type) ? `terraform_data.${stubbedName(type, name)}` : address;
}

export function stubKubernetesResources(stack: StackJson): StackJson {
  const copy: any = JSON.parse(JSON.stringify(stack));
  const ephemeral = new Set(
    Object.entries(copy.variable ?? {})
      .filter(([, v]: [string, any]) => v.ephemeral === true)
      .map(([k]) => k),
  );
  const resources: Record<string, Record<string, any>> = {};
  const stubs: Record<string, any> = {};
  for (const [type, byName] of Object.entries<Record<string, any>>(copy.resource ?? {})) {
    if (!STUBBED.test(type)) {
      resources[type] = byName;
      continue;
    }
    for (const [name, body] of Object.entries<any>(byName)) {
      const input = Object.fromEntries(Object.entries(body).filter(([k]) => !META_ARGUMENTS.has(k)));
      stubs[stubbedName(type, name)] = {
        input,
        ...(body.depends_on ? { depends_on: body.depends_on.map(stubbedDependency) } : {}),
        // prevent_destroy means the same on any resource; other lifecycle arguments name the original's attributes.
        ...(body.lifecycle?.prevent_destroy ? { lifecycle: { prevent_destroy: true } } : {}),
      };
    }
  }
  const data: Record<string, Record<string, any>> = {};
  for (const [type, byName] of Object.entries<Record<string, any>>(copy.data ?? {})) {
    if (!STUBBED.test(type)) {
      data[type] = byName;
      continue;
    }
    for (const [name, body] of Object.entries<any>(byName)) {
      stubs[stubbedName(`data_${type}`, name)] = { input: body };
    }
  }
  if (Object.keys(stubs).length > 0) resources.terraform_data = { ...(resources.terraform_data ?? {}), ...stubs };
  copy.resource = resources;
  copy.data = data;
  for (const key of ["resource", "data"]) if (Object.keys(copy[key]).length === 0) delete copy[key];
  for (const provider of ["helm", "kubernetes"]) {
    delete copy.provider?.[provider];
    delete copy.terraform?.required_providers?.[provider];
  }
  const dependsOn = new Map<string, string[]>();
  for (const [name, stub] of Object.entries<any>(stubs)) if (stub.depends_on) dependsOn.set(name, stub.depends_on);
  // Kept resources (e.g. terraform_data gates) may depend on stubbed ones: whole objects, never `.output`.
  const keptDependsOn: Array<[string, string, string, string[]]> = [];
  for (const key of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries<Record<string, any>>(copy[key] ?? {})) {
      for (const [name, body] of Object.entries<any>(byName)) {
        if (Array.isArray(body.depends_on)) keptDependsOn.push([key, type, name, body.depends_on.map(stubbedDependency)]);
      }
    }
  }
  // Only the stubbed bodies are rewritten; the ephemeral blocks themselves stay as they are.
  const ephemeralBlocks = copy.ephemeral;
  delete copy.ephemeral;
  const rewritten: any = rewriteDeep(copy, ephemeral);
  if (ephemeralBlocks) rewritten.ephemeral = ephemeralBlocks;
  for (const [name, list] of dependsOn) rewritten.resource.terraform_data[name].depends_on = list;
  for (const [key, type, name, list] of keptDependsOn) {
    if (!(key === "resource" && type === "terraform_data" && dependsOn.has(name))) rewritten[key][type][name].depends_on = list;
  }
  // References to data sources of stubbed types were rewritten like resources; fix their prefix.
  return JSON.parse(JSON.stringify(rewritten).replace(/data\.terraform_data\.((?:helm|kubernetes)_)/g, "terraform_data.data_$1"));
}
