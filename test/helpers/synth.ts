import * as fs from "node:fs";
import * as path from "node:path";
import { loadEnvironments, parseEnvironment, parseYamlFile } from "../../config/load";
import type { Environment } from "../../config/environment";
import type { StackJson } from "../../tfjson/stack-json";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");

export type { StackJson } from "../../tfjson/stack-json";

export interface SynthesizedEnvironment {
  readonly env: Environment;
  readonly aws?: StackJson;
  readonly helm: StackJson;
}

const cache = new Map<string, SynthesizedEnvironment>();

/**
 * The example environment files the project ships. Tests about the examples
 * (snapshots, pinned addresses, expected values) use this fixed list; the
 * generic tiers use {@link environmentNames}, so a user's own environment
 * file is checked too and never breaks a test about the examples.
 */
export const EXAMPLE_ENVIRONMENTS = ["dev", "existing", "helm-only", "prod"] as const;

let everyEnvironment: Map<string, Environment> | undefined;

/** An environment of environments/ by name (an example or a user's own). */
export function exampleEnvironment(name: string): Environment {
  // Loading one environment reads every file anyway (state keys are compared across all), so a test
  // file loads them all once; a name that does not load alone still gets its own error.
  if (!everyEnvironment) {
    try {
      everyEnvironment = new Map(loadEnvironments(PROJECT_ROOT).map((e) => [e.name, e]));
    } catch {
      everyEnvironment = new Map();
    }
  }
  return everyEnvironment.get(name) ?? loadEnvironments(PROJECT_ROOT, name)[0];
}

export function exampleEnvironmentNames(): string[] {
  return [...EXAMPLE_ENVIRONMENTS];
}

/**
 * Every environment file in environments/ (examples and users' own), for the
 * generic tiers: config rules, audit, terraform validate and plan.
 * `LAYER_ENV` narrows it to one, as for `npm run synth`.
 */
export function environmentNames(): string[] {
  return loadEnvironments(PROJECT_ROOT, process.env.LAYER_ENV || undefined).map((e) => e.name);
}

/** Builds an environment from YAML text, as if it were `environments/<name>.yaml`. */
export function environmentFromYaml(yamlText: string, name = "test"): Environment {
  const file = `environments/${name}.yaml`;
  return parseEnvironment(parseYamlFile(yamlText, file), name, file);
}

/** Builds an environment and its `helm-values/<name>.yaml` from YAML text. */
export function environmentWithValues(yamlText: string, valuesYaml: string, name = "test"): Environment {
  const file = `environments/${name}.yaml`;
  const valuesFile = `helm-values/${name}.yaml`;
  return parseEnvironment(parseYamlFile(yamlText, file), name, file, { raw: parseYamlFile(valuesYaml, valuesFile), file: valuesFile });
}

/** Synthesizes the stacks of one environment in memory. */
export function synthEnvironment(env: Environment): SynthesizedEnvironment {
  // Loaded on first use: a test file that reads only synthesized JSON never loads cdktf and the provider classes.
  const { Testing } = require("cdktf") as typeof import("cdktf");
  const { addEnvironment } = require("../../stacks/environment-stacks") as typeof import("../../stacks/environment-stacks");
  const app = Testing.app();
  const stacks = addEnvironment(app, env);
  return {
    env,
    aws: stacks.aws ? (JSON.parse(Testing.synth(stacks.aws, true)) as StackJson) : undefined,
    helm: JSON.parse(Testing.synth(stacks.helm, true)) as StackJson,
  };
}

/**
 * Where the test run's global setup (test/helpers/synth-cache.ts) left the
 * synthesized JSON of every environment, so the many test files that read
 * an environment's stacks share one synth instead of one each.
 */
export const SYNTH_CACHE_VARIABLE = "LAYER_TEST_SYNTH_CACHE";

/** The run's own temporary directory, which TMPDIR points at during the run and the global teardown removes. */
export const RUN_TMPDIR_VARIABLE = "LAYER_TEST_RUN_TMPDIR";

/** TMPDIR as it was before the run ("" when unset), which the global teardown puts back. */
export const SYSTEM_TMPDIR_VARIABLE = "LAYER_TEST_SYSTEM_TMPDIR";

export function synthCacheFile(dir: string, name: string): string {
  return path.join(dir, `${name}.json`);
}

function fromSynthCache(name: string): SynthesizedEnvironment | undefined {
  const dir = process.env[SYNTH_CACHE_VARIABLE];
  if (!dir || !fs.existsSync(synthCacheFile(dir, name))) return undefined;
  const { aws, helm } = JSON.parse(fs.readFileSync(synthCacheFile(dir, name), "utf8")) as { aws?: StackJson; helm: StackJson };
  return { env: exampleEnvironment(name), aws, helm };
}

/** The stacks of `environments/<name>.yaml`: from the run's synth cache when there is one, else synthesized here. */
export function synthExample(name: string): SynthesizedEnvironment {
  let result = cache.get(name);
  if (!result) {
    result = fromSynthCache(name) ?? synthEnvironment(exampleEnvironment(name));
    cache.set(name, result);
  }
  return result;
}

/**
 * YAML of a minimal valid fresh-cluster environment, to be extended by a
 * test. It ends inside `release:` (the pinned images the release needs), so
 * a test adds release settings with two-space indented lines.
 */
export const MINIMAL_ENVIRONMENT = `accountId: "123456789012"
region: us-east-1
availabilityZones: [us-east-1a, us-east-1b]
deployPrincipalArn: arn:aws:iam::123456789012:role/layer-deploy
release:
  images:
    gateway: {tag: "0.5.2"}
    operator: {tag: "0.5.2"}
    dashboard: {tag: "0.5.2"}
`;
