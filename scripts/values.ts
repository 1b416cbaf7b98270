/**
 * Hand-off to plain Helm: writes `values.<env>.yaml` for the product chart
 * from `helm-values/<env>.yaml` and the deployed AWS stack's outputs, with
 * the same validation and merge as the Helm stack, and prints the
 * `helm upgrade --install` command.
 *
 *   npx cdktf output layer-dev-aws --outputs-file outputs.dev.json
 *   npm run values -- dev --outputs outputs.dev.json [--out values.dev.yaml]
 *   npm run values -- helm-only                      (AWS facts from externalAws)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadEnvironments } from "../config/load";
import { ConfigError } from "../config/errors";
import { handoffValuesFile, helmInstallCommand, releaseChart, wiredValues, wiredValuesFromOutputs } from "../stacks/release-wiring";

const USAGE = "usage: npm run values -- <env> [--outputs <cdktf outputs JSON>] [--out <file>]";

export interface ValuesRun {
  readonly file: string;
  readonly content: string;
  readonly command: string;
}

/** Everything but the writing, so tests call it directly. */
export function buildValues(projectRoot: string, args: readonly string[], cwd = invocationDir()): ValuesRun {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--outputs" || a === "--out") {
      if (i + 1 >= args.length) throw new ConfigError("arguments", [{ path: a, found: "nothing", expected: `a file path after ${a} (${USAGE})` }]);
      flags[a] = args[++i];
    } else if (a.startsWith("--")) {
      throw new ConfigError("arguments", [{ path: "", found: `the option ${a}`, expected: USAGE }]);
    } else positional.push(a);
  }
  if (positional.length !== 1) throw new ConfigError("arguments", [{ path: "", found: `${positional.length} environment names`, expected: USAGE }]);
  const env = loadEnvironments(projectRoot, positional[0])[0];

  let wired;
  let note: string;
  const outputsArg = flags["--outputs"];
  if (outputsArg !== undefined || env.mode !== "helm-only") {
    if (outputsArg === undefined) {
      throw new ConfigError("arguments", [
        {
          path: "--outputs",
          found: "nothing",
          expected: `the outputs of layer-${env.name}-aws: run \`npx cdktf output layer-${env.name}-aws --outputs-file outputs.${env.name}.json\` and pass --outputs outputs.${env.name}.json`,
        },
      ]);
    }
    const full = path.resolve(cwd, outputsArg);
    let text: string;
    try {
      text = fs.readFileSync(full, "utf8");
    } catch {
      throw new ConfigError(outputsArg, [
        { path: "", found: "no readable file", expected: `the JSON written by \`npx cdktf output layer-${env.name}-aws --outputs-file ${outputsArg}\`` },
      ]);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(outputsArg, [
        { path: "", found: `invalid JSON (${(e as Error).message})`, expected: "the JSON written by cdktf output --outputs-file" },
      ]);
    }
    wired = wiredValuesFromOutputs(env, raw, outputsArg);
    note = `the outputs of layer-${env.name}-aws (${path.basename(outputsArg)})`;
  } else {
    wired = wiredValues(env);
    note = `externalAws in ${env.file}`;
  }
  const file = flags["--out"] ?? `values.${env.name}.yaml`;
  // A local chart path is relative to the project root; the command runs where the script was invoked.
  const chart = releaseChart(env);
  const chartDir = "path" in chart ? path.relative(cwd, path.resolve(projectRoot, chart.path)) || "." : undefined;
  return { file, content: handoffValuesFile(env, wired, note), command: helmInstallCommand(env, file, chartDir) };
}

/** `npm run` changes into the project root; paths on the command line are relative to where it was typed. */
function invocationDir(): string {
  return process.env.INIT_CWD || process.cwd();
}

function main(): void {
  const projectRoot = path.resolve(__dirname, "..");
  const run = buildValues(projectRoot, process.argv.slice(2));
  fs.writeFileSync(path.resolve(invocationDir(), run.file), run.content);
  process.stdout.write(`wrote ${run.file}\n\n${run.command}\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Cannot write the values file:\n${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
