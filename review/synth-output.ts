/**
 * Where the review's Terraform JSON comes from: the current project
 * synthesized in memory (into a temporary directory), a previous `cdktf.out`,
 * or another git ref synthesized with its own code.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { loadEnvironments } from "../config/load";
import { addEnvironment } from "../stacks/environment-stacks";
import type { StackJson } from "../tfjson/stack-json";

export type { StackJson } from "../tfjson/stack-json";

/** The stacks of one environment, keyed by stack name (`layer-dev-aws`). */
export interface EnvironmentJson {
  readonly name: string;
  readonly stacks: Record<string, StackJson>;
}

const STACK_NAME = /^layer-(.+)-(aws|helm)$/;

/** `layer-dev-aws` → `dev`; undefined for a stack this project does not name. */
export function environmentOfStack(stackName: string): string | undefined {
  return STACK_NAME.exec(stackName)?.[1];
}

/**
 * Reads `<dir>/stacks/<stack>/cdk.tf.json` for every stack, grouped by
 * environment. Accepts either a `cdktf.out` directory or a directory that
 * contains one (a checkout of a previous commit).
 */
export function readSynthOutput(dir: string): Map<string, EnvironmentJson> {
  const candidates = [path.join(dir, "stacks"), path.join(dir, "cdktf.out", "stacks")];
  const stacksDir = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isDirectory());
  if (!stacksDir) {
    throw new Error(`${dir}: expected a cdktf.out directory (with stacks/<stack>/cdk.tf.json) or a directory containing cdktf.out`);
  }
  const out = new Map<string, EnvironmentJson>();
  for (const stackName of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, stackName, "cdk.tf.json");
    const env = environmentOfStack(stackName);
    if (!env || !fs.existsSync(file)) continue;
    const entry = out.get(env) ?? { name: env, stacks: {} };
    entry.stacks[stackName] = JSON.parse(fs.readFileSync(file, "utf8")) as StackJson;
    out.set(env, entry);
  }
  return out;
}

/**
 * Synthesizes the project at `projectRoot` in this process, into a temporary
 * directory (the user's `cdktf.out` is left alone). Environment files are
 * read from `projectRoot`; the code is the code of this checkout.
 */
export function synthesizeProject(projectRoot: string, only?: string): Map<string, EnvironmentJson> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-review-"));
  try {
    const app = new App({ outdir, skipValidation: false });
    for (const env of loadEnvironments(projectRoot, only)) addEnvironment(app, env);
    app.synth();
    return readSynthOutput(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Synthesizes `ref` of the git repository at `projectRoot` with that ref's
 * own code: the tree is exported with `git archive` into a temporary
 * directory, node_modules is linked from this checkout, and the app runs
 * there as `npm run synth` would.
 */
export function synthesizeGitRef(projectRoot: string, ref: string, only?: string): Map<string, EnvironmentJson> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-review-base-"));
  try {
    const tar = path.join(dir, "tree.tar");
    run("git", ["archive", "--format=tar", "-o", tar, ref], projectRoot, `git archive ${ref}`);
    const tree = path.join(dir, "tree");
    fs.mkdirSync(tree);
    run("tar", ["-xf", tar, "-C", tree], dir, "tar -x");
    fs.rmSync(path.join(tree, "node_modules"), { recursive: true, force: true });
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(tree, "node_modules"));
    // An environment that does not exist at the base is simply absent from it.
    const hasOnly = only ? ["yaml", "yml"].some((ext) => fs.existsSync(path.join(tree, "environments", `${only}.${ext}`))) : true;
    if (!hasOnly) return new Map();
    const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: path.join(dir, "out") };
    if (only) env.LAYER_ENV = only;
    else delete env.LAYER_ENV;
    run(path.join(projectRoot, "node_modules/.bin/tsx"), ["main.ts"], tree, `synth of ${ref}`, env);
    return readSynthOutput(path.join(dir, "out"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string, what: string, env?: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { cwd, env: env ?? process.env, encoding: "utf8", timeout: 300000 });
  if (result.status !== 0) {
    throw new Error(`${what} failed (exit ${result.status ?? result.signal}): ${(result.stderr || result.stdout || "").trim()}`);
  }
}
