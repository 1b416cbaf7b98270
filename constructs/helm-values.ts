import { stringify } from "yaml";

/**
 * Chart values as one YAML document for `helm_release.values`: readable in
 * plans and snapshots. Strings may carry Terraform references (`${...}`),
 * which Terraform resolves inside the document.
 */
export function renderValues(values: object): string {
  return stringify(values, { lineWidth: 0, sortMapEntries: false });
}

/** Every key path of a values object (`a.b.c`); maps below `opaque` paths are not descended. */
export function valueKeyPaths(values: unknown, opaque: readonly string[] = [], prefix = ""): string[] {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(values as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path);
    if (!opaque.includes(path)) out.push(...valueKeyPaths(child, opaque, path));
  }
  return out;
}
