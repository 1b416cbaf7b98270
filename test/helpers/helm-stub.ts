import type { StackJson } from "../../tfjson/stack-json";
import { stubKubernetesResources } from "../../scripts/lib/helm-stub";

export * from "../../scripts/lib/helm-stub";

/**
 * A Helm stack stubbed for an offline plan and apply: every AWS read (its
 * data sources, and its ephemeral secret reads unless a local Secrets
 * Manager answers them) becomes a string literal wherever it sits in an
 * expression (a secret is wrapped in replace()), and those blocks go.
 */
export function offlineHelmStack(stack: StackJson, options: { keepSecretReads?: boolean } = {}): any {
  const reads = options.keepSecretReads ? "data" : "(?:data|ephemeral)";
  const reference = new RegExp(`(?<![\\w.])${reads}\\.aws_\\w+\\.\\w+(?:\\.\\w+|\\[\\d+\\])*`, "g");
  const offline = JSON.stringify(stubKubernetesResources(stack), (key, value) =>
    key !== "data" && key !== "ephemeral" && typeof value === "string" && value.includes("${") ? value.replace(reference, '"offline"') : value,
  );
  const stub = JSON.parse(offline);
  delete stub.data;
  if (!options.keepSecretReads) delete stub.ephemeral;
  // Waiting on a removed data source (the gateway certificate) means nothing offline.
  for (const byName of Object.values<any>(stub.resource ?? {})) {
    for (const body of Object.values<any>(byName)) {
      if (Array.isArray(body.depends_on)) body.depends_on = body.depends_on.filter((d: string) => !d.startsWith("data."));
    }
  }
  return stub;
}
