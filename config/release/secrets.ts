/**
 * The secrets of the `layer` release and every name each goes by. The chart
 * requires the upstream API key and the dashboard password as values and
 * writes them into its own Secret (templates/secret.yaml), so they reach it
 * as write-only values (`set_wo`), never as part of `values`. The license and
 * the inbound key may instead name an existing Secret (license.existingSecret,
 * keys[0].secretRef), and then need no value here.
 */
import type { ConfigProblem } from "../errors";
import type { EnvironmentFile } from "../schema";
import type { ValuesFile } from "./values-schema";

/** A secret the release needs. */
export interface ReleaseSecret {
  /** Stable id: Terraform addresses and the Secrets Manager name end with it (never renamed: the secrets are stateful). */
  readonly id: string;
  /** Helm value path (`set_wo` name, `--set-file` target). */
  readonly valuesPath: string;
  /** Terraform variable (write-only mode): set with `TF_VAR_<variable>`. */
  readonly variable: string;
  readonly description: string;
  /** Secrets Manager secret name (secrets-manager mode). */
  readonly secretsManagerName: string;
  /**
   * secrets-manager mode: the AWS stack generates the value once (ephemeral
   * random password, written with `secret_string_wo`), instead of a person
   * putting it. Always false in write-only mode.
   */
  readonly generated: boolean;
}

type EnvForSecrets = Pick<EnvironmentFile, "release"> & { readonly resourcePrefix: string; readonly releaseValues: ValuesFile };

/**
 * Every secret the release receives as a write-only value, in a stable order.
 * The key pepper is one only in secrets-manager mode, where it is generated
 * and kept in Secrets Manager; in write-only mode the chart generates it on
 * first install and keeps it in its `layer-keys` Secret (templates/keys-secret.yaml).
 */
export function releaseSecrets(env: EnvForSecrets): ReleaseSecret[] {
  const managed = env.release.secrets === "secrets-manager";
  const v = env.releaseValues;
  const out: ReleaseSecret[] = [];
  const add = (id: string, valuesPath: string, variable: string, description: string, generated = false) =>
    out.push({ id, valuesPath, variable, description, secretsManagerName: `${env.resourcePrefix}/${id}`, generated: managed && generated });
  add("layer-vector-store", "vectorStore.credential.apiKey", "vector_store_api_key", "Upstream API key of the default vector store");
  if (v.vectorStore.inboundAuth.mode === "keys") {
    const key = v.vectorStore.inboundAuth.keys[0];
    if (key && !key.secretRef) {
      add(
        `layer-vector-store-inbound-${key.name}`,
        "vectorStore.inboundAuth.keys[0].apiKey",
        `gateway_key_${key.name.replace(/-/g, "_")}`,
        `Gateway key "${key.name}" (${key.scopes.join(", ")})`,
      );
    }
  }
  if (v.dashboard.enabled) add("layer-dashboard-password", "dashboard.basicAuth.password", "dashboard_password", "Dashboard basic-auth password", true);
  if (env.release.license && !v.license?.existingSecret) add("layer-license", "license.token", "license_token", "hev layer license token");
  if (managed) add("layer-key-pepper", "keys.pepper", "key_pepper", "Pepper of minted API keys (losing it invalidates every minted key)", true);
  return out;
}

const SECRET_KEY_NAME = /^(api[-_]?key|password|token|pepper|secret[-_]?value)$/i;
/** Turbopuffer keys are `tpuf_` + 32 characters (https://turbopuffer.com/docs/onprem-operations); license tokens are PASETO v4.public. */
const SECRET_LITERAL = /^(tpuf_[A-Za-z0-9]{8,}|v4\.public\.[A-Za-z0-9_-]{16,})/;

/** Paths of values that look like secrets: a key named like one, or a string shaped like an API key or license. */
export function findSecretLiterals(raw: unknown, at: string[] = []): string[] {
  const found: string[] = [];
  const join = (p: string[]) => p.join(".").replace(/\.\[/g, "[");
  if (typeof raw === "string") {
    if (SECRET_LITERAL.test(raw.trim())) found.push(join(at));
  } else if (Array.isArray(raw)) {
    raw.forEach((v, i) => found.push(...findSecretLiterals(v, [...at, `[${i}]`])));
  } else if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw)) {
      if (SECRET_KEY_NAME.test(k) && v !== null && v !== undefined && typeof v !== "object") found.push(join([...at, k]));
      else found.push(...findSecretLiterals(v, [...at, k]));
    }
  }
  return [...new Set(found)];
}

export function secretProblem(path: string, where: string): ConfigProblem {
  return {
    path,
    // The value itself is never echoed: error output ends up in CI logs.
    found: "a secret literal (value not shown)",
    expected: `no secret in ${where}: supply it at deploy time (the ephemeral TF_VAR_... variable or the Secrets Manager secret listed in docs/secrets.md) or reference an existing Secret`,
  };
}

/** Secret-looking values in an environment file (which is committed and flows into tags and names). */
export function secretProblemsInEnvironmentFile(raw: unknown): ConfigProblem[] {
  return findSecretLiterals(raw).map((p) => secretProblem(p, "an environment file"));
}
