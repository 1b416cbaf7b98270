/**
 * Reads `environments/<name>.yaml`, validates it against the schema and the
 * cross-field rules, and returns the fully-defaulted Environment. This is the
 * only place that touches the file system for configuration.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, ConfigErrors, ConfigProblem, describeValue, problemsFromZod } from "./errors";
import { EnvironmentFileSchema } from "./schema";
import { checkEnvironmentRules } from "./rules";
import { Environment, defaultControllerReplicas, partitionOf, resolveAddonEnabled } from "./environment";
import { localChartProblems, parseValuesFile, secretProblemsInEnvironmentFile } from "./release-values";
import { knownKeysAt } from "./schema-keys";
import { parseYamlFile, readConfigFile, sourceTextAt } from "./yaml-file";
import { sharedStateKeyErrors } from "./state-keys";

export { knownKeysAt, parseYamlFile };

/** A values file's parsed content and where it came from. */
export interface ValuesInput {
  readonly raw: unknown;
  readonly file: string;
  /** The file does not exist (`raw` is then empty). */
  readonly missing?: boolean;
}

const ENV_NAME = /^[a-z][a-z0-9-]{0,19}$/;

/** Paths in messages are relative to the project root so they read the same everywhere. */
function displayPath(projectRoot: string, file: string): string {
  return path.relative(projectRoot, file) || file;
}

/**
 * Validates an environment file and its values file. Without `values`, every
 * chart value takes its default (how tests build environments); from disk, a
 * missing `helm-values/<name>.yaml` is refused unless the release is off.
 */
export function parseEnvironment(raw: unknown, name: string, file: string, values?: ValuesInput): Environment {
  if (!ENV_NAME.test(name)) {
    throw new ConfigError(file, [
      {
        path: "",
        found: `the environment name "${name}" (from the file name)`,
        expected: "a file name of 1-20 lowercase letters, digits or hyphens, starting with a letter",
      },
    ]);
  }
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, [
      {
        path: "",
        found: "an empty file",
        expected: "the environment's settings: at least accountId, region and availabilityZones (see environments/dev.yaml)",
      },
    ]);
  }
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: "", found: describeValue(raw), expected: "a YAML mapping of environment settings" }]);
  }
  // Before the schema: its messages quote values, and a secret must never be quoted.
  const secrets = secretProblemsInEnvironmentFile(raw);
  if (secrets.length > 0) throw new ConfigError(file, secrets);
  const parsed = EnvironmentFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      file,
      problemsFromZod(
        raw,
        parsed.error,
        (p) => knownKeysAt(EnvironmentFileSchema, p),
        (p) => sourceTextAt(raw, p),
      ),
    );
  }
  const problems: ConfigProblem[] = checkEnvironmentRules(parsed.data);
  if (problems.length > 0) throw new ConfigError(file, problems);

  const data = parsed.data;
  const resourcePrefix = `${data.prefix}-${name}`;
  const clusterName = data.mode === "helm-only" ? data.externalAws!.clusterName : (data.cluster.name ?? resourcePrefix);
  const replicas = defaultControllerReplicas(data.cluster.systemNodeGroup.minSize);
  const valuesFile = values?.file ?? valuesFilePath(name);
  if (values?.missing && data.release.enabled) {
    throw new ConfigError(valuesFile, [
      {
        path: "",
        found: "no file",
        expected: `${valuesFile} with the release's chart values (an empty file takes every chart default), or release.enabled: false in ${file}`,
      },
    ]);
  }
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

/** Any YAML file name; only `.yaml` is read, the rest (`.yml`, `.YAML`) are refused, never silently skipped. */
const YAML_EXTENSION = /\.(ya?ml)$/i;

function renameProblem(shown: string, wanted: string): ConfigError {
  return new ConfigError(shown, [
    { path: "", found: `a file named ${path.basename(shown)}`, expected: `the .yaml extension: rename it to ${wanted} (only .yaml files are read)` },
  ]);
}

/**
 * Reads an environment's values file. A missing file is reported by
 * parseEnvironment once the environment is known to deploy the release.
 */
export function readValuesFile(projectRoot: string, name: string): ValuesInput {
  const file = valuesFilePath(name);
  const dir = path.join(projectRoot, "helm-values");
  const misspelled = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => YAML_EXTENSION.test(f) && !f.endsWith(".yaml") && f.replace(YAML_EXTENSION, "") === name)
    : [];
  if (misspelled.length > 0) throw renameProblem(`helm-values/${misspelled[0]}`, file);
  const text = readConfigFile(path.join(projectRoot, file), file);
  if (text === undefined) return { raw: {}, file, missing: true };
  return { raw: parseYamlFile(text, file) ?? {}, file };
}

export function loadEnvironmentFile(projectRoot: string, file: string): Environment {
  const shown = displayPath(projectRoot, file);
  if (!file.endsWith(".yaml")) throw renameProblem(shown, `environments/${path.basename(file).replace(YAML_EXTENSION, "")}.yaml`);
  const text = readConfigFile(file, shown);
  if (text === undefined) throw new ConfigError(shown, [{ path: "", found: "no file", expected: `an environment file at ${shown}` }]);
  const name = path.basename(file, ".yaml");
  const raw = parseYamlFile(text, shown);
  // The values file is read only for a valid environment name (it becomes a path).
  const values = ENV_NAME.test(name) ? readValuesFile(projectRoot, name) : undefined;
  const env = parseEnvironment(raw, name, shown, values);
  const chartProblems = localChartProblems(projectRoot, env);
  if (chartProblems.length > 0) throw new ConfigError(shown, chartProblems);
  return env;
}

/** A values file whose environment file does not exist (a typo in either name) is never used: say so. */
function orphanValuesFiles(projectRoot: string, names: readonly string[]): ConfigError[] {
  const dir = path.join(projectRoot, "helm-values");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => YAML_EXTENSION.test(f) && !names.includes(f.replace(YAML_EXTENSION, "")))
    .sort()
    .map((f) => {
      const name = f.replace(YAML_EXTENSION, "");
      return new ConfigError(`helm-values/${f}`, [
        {
          path: "",
          found: `a values file for "${name}", which has no environment file`,
          expected: `environments/${name}.yaml beside it, or the values file renamed to its environment's name`,
        },
      ]);
    });
}

function environmentFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    throw new ConfigError("environments/", [
      { path: "", found: "no environments folder", expected: "environments/<name>.yaml, one file per environment (see README.md)" },
    ]);
  }
  return fs
    .readdirSync(dir)
    .filter((f) => YAML_EXTENSION.test(f))
    .sort();
}

/**
 * Loads every environment in `environments/`, or only `only` when given.
 * All files are validated before any is returned, so a bad file stops the
 * run before anything is synthesized. State keys are compared with every
 * other environment that loads, also when only one is selected.
 */
export function loadEnvironments(projectRoot: string, only?: string): Environment[] {
  const dir = path.join(projectRoot, "environments");
  const files = environmentFiles(dir);
  const nameOf = (f: string) => f.replace(YAML_EXTENSION, "");
  const selected = only ? files.filter((f) => nameOf(f) === only) : files;
  if (only && selected.length === 0) {
    const names = files.map(nameOf).join(", ");
    throw new ConfigError("LAYER_ENV", [{ path: "", found: `"${only}"`, expected: `the name of a file in environments/: one of ${names}` }]);
  }
  const errors: ConfigError[] = [];
  const environments: Environment[] = [];
  const load = (f: string) => loadEnvironmentFile(projectRoot, path.join(dir, f));
  for (const f of selected) {
    try {
      environments.push(load(f));
    } catch (e) {
      if (e instanceof ConfigError) errors.push(e);
      else throw e;
    }
  }
  // Unselected environments only take part in the key check; their own problems are reported when they are synthesized.
  const others = files
    .filter((f) => !selected.includes(f))
    .flatMap((f) => {
      try {
        return [load(f)];
      } catch (e) {
        if (e instanceof ConfigError) return [];
        throw e;
      }
    });
  errors.push(...sharedStateKeyErrors(environments, others));
  if (!only) errors.push(...orphanValuesFiles(projectRoot, files.map(nameOf)));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
  return environments;
}
