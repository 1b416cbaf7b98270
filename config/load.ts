/**
 * Reads `environments/<name>.yaml`, validates it against the schema and the
 * cross-field rules, and returns the fully-defaulted Environment. This is the
 * only place that touches the file system for configuration.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { ConfigError, ConfigErrors, ConfigProblem, describeValue, problemsFromZod } from "./errors";
import { EnvironmentFileSchema } from "./schema";
import { checkEnvironmentRules } from "./rules";
import { Environment, defaultControllerReplicas, partitionOf, resolveAddonEnabled } from "./environment";
import { localChartProblems, parseValuesFile, secretProblemsInEnvironmentFile } from "./release-values";
import { knownKeysAt } from "./schema-keys";

export { knownKeysAt };

/** A values file's parsed content and where it came from. */
export interface ValuesInput {
  readonly raw: unknown;
  readonly file: string;
}

const ENV_NAME = /^[a-z][a-z0-9-]{0,19}$/;

/** Paths in messages are relative to the project root so they read the same everywhere. */
function displayPath(projectRoot: string, file: string): string {
  return path.relative(projectRoot, file) || file;
}

/** Parses YAML text into plain data, or throws a ConfigError naming the line. */
export function parseYamlFile(text: string, file: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        path: "",
        found: `invalid YAML at line ${e.linePos?.[0]?.line ?? "?"}: ${e.message.split("\n")[0]}`,
        expected: "a valid YAML mapping",
      })),
    );
  }
  return doc.toJS() ?? {};
}

/**
 * Validates an environment file and its values file. `values` defaults to an
 * empty `helm-values/<name>.yaml` (every chart value at its default).
 */
export function parseEnvironment(raw: unknown, name: string, file: string, values?: ValuesInput): Environment {
  if (!ENV_NAME.test(name)) {
    throw new ConfigError(file, [
      { path: "", found: `the environment name "${name}" (from the file name)`, expected: "a file name of 1-20 lowercase letters, digits or hyphens, starting with a letter" },
    ]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: "", found: describeValue(raw), expected: "a YAML mapping of environment settings" }]);
  }
  // Before the schema: its messages quote values, and a secret must never be quoted.
  const secrets = secretProblemsInEnvironmentFile(raw);
  if (secrets.length > 0) throw new ConfigError(file, secrets);
  const parsed = EnvironmentFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(file, problemsFromZod(raw, parsed.error, (p) => knownKeysAt(EnvironmentFileSchema, p)));
  }
  const problems: ConfigProblem[] = checkEnvironmentRules(parsed.data);
  if (problems.length > 0) throw new ConfigError(file, problems);

  const data = parsed.data;
  const resourcePrefix = `${data.prefix}-${name}`;
  const clusterName =
    data.mode === "helm-only" ? data.externalAws!.clusterName : (data.cluster.name ?? resourcePrefix);
  const replicas = defaultControllerReplicas(data.cluster.systemNodeGroup.minSize);
  const valuesFile = values?.file ?? valuesFilePath(name);
  const releaseValues = parseValuesFile(values?.raw ?? {}, valuesFile, { ...data, name, file });
  return {
    ...data,
    karpenter: {
      ...data.karpenter,
      enabled: resolveAddonEnabled(data.karpenter.enabled, data.mode),
      controllerReplicas: data.karpenter.controllerReplicas ?? replicas,
    },
    loadBalancerController: {
      ...data.loadBalancerController,
      enabled: resolveAddonEnabled(data.loadBalancerController.enabled, data.mode),
      replicas: data.loadBalancerController.replicas ?? replicas,
    },
    efs: { ...data.efs, enabled: resolveAddonEnabled(data.efs.enabled, data.mode) },
    name,
    file,
    resourcePrefix,
    clusterName,
    ...partitionOf(data.region),
    releaseValues,
    valuesFile,
  };
}

/** `helm-values/<env>.yaml`, relative to the project root. */
export function valuesFilePath(name: string): string {
  return `helm-values/${name}.yaml`;
}

/** Reads an environment's values file; an absent file means "all defaults". */
export function readValuesFile(projectRoot: string, name: string): ValuesInput {
  const file = valuesFilePath(name);
  const full = path.join(projectRoot, file);
  if (!fs.existsSync(full)) return { raw: {}, file };
  return { raw: parseYamlFile(fs.readFileSync(full, "utf8"), file) ?? {}, file };
}

export function loadEnvironmentFile(projectRoot: string, file: string): Environment {
  const shown = displayPath(projectRoot, file);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new ConfigError(shown, [{ path: "", found: "no readable file", expected: `an environment file at ${shown}` }]);
  }
  const name = path.basename(file).replace(/\.ya?ml$/, "");
  const raw = parseYamlFile(text, shown);
  // The values file is read only for a valid environment name (it becomes a path).
  const values = ENV_NAME.test(name) ? readValuesFile(projectRoot, name) : undefined;
  const env = parseEnvironment(raw, name, shown, values);
  const chartProblems = localChartProblems(projectRoot, env);
  if (chartProblems.length > 0) throw new ConfigError(shown, chartProblems);
  return env;
}

/**
 * Loads every environment in `environments/`, or only `only` when given.
 * All files are validated before any is returned, so a bad file stops the
 * run before anything is synthesized.
 */
export function loadEnvironments(projectRoot: string, only?: string): Environment[] {
  const dir = path.join(projectRoot, "environments");
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const selected = only ? files.filter((f) => f.replace(/\.ya?ml$/, "") === only) : files;
  if (only && selected.length === 0) {
    const names = files.map((f) => f.replace(/\.ya?ml$/, "")).join(", ");
    throw new ConfigError("LAYER_ENV", [
      { path: "", found: `"${only}"`, expected: `the name of a file in environments/: one of ${names}` },
    ]);
  }
  const errors: ConfigError[] = [];
  const environments: Environment[] = [];
  for (const f of selected) {
    try {
      environments.push(loadEnvironmentFile(projectRoot, path.join(dir, f)));
    } catch (e) {
      if (e instanceof ConfigError) errors.push(e);
      else throw e;
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
  return environments;
}
