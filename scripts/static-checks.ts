/**
 * The first half of `npm test`: type-check, lint (the import layers
 * included) and the formatting check, run side by side with one verdict line
 * each; a failing step's output follows its line. Exit 1 when any fails.
 * Each tool keeps a cache under node_modules/.cache, so a second run only
 * looks at what changed.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

export interface StaticCheck {
  /** The verdict line's name. */
  readonly name: string;
  /** A binary of node_modules/.bin, or any command on PATH. */
  readonly command: string;
  readonly args: readonly string[];
}

export const STATIC_CHECKS: readonly StaticCheck[] = [
  { name: "type-check", command: "tsc", args: ["--noEmit", "--incremental", "--tsBuildInfoFile", "node_modules/.cache/tsc/tsbuildinfo"] },
  { name: "lint", command: "eslint", args: ["--cache", "--cache-location", "node_modules/.cache/eslint/", "."] },
  {
    name: "format",
    command: "prettier",
    args: ["--check", "--log-level", "warn", "--cache", "--cache-strategy", "content", "--cache-location", "node_modules/.cache/prettier/cache", "."],
  },
];

export interface StaticCheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly output: string;
}

function runOne(check: StaticCheck, projectRoot: string): Promise<StaticCheckResult> {
  const started = Date.now();
  const bin = path.join(projectRoot, "node_modules/.bin");
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(check.command, [...check.args], {
      cwd: projectRoot,
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` },
    });
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const done = (ok: boolean, extra = "") => resolve({ name: check.name, ok, seconds: (Date.now() - started) / 1000, output: `${output}${extra}` });
    child.on("error", (error) => done(false, `${check.command}: ${error.message}\n`));
    child.on("close", (code, signal) => done(code === 0, code === 0 ? "" : `${check.command} exited with ${code ?? signal}\n`));
  });
}

/** Runs every check at once and prints one line each, in the order given. */
export async function runStaticChecks(checks: readonly StaticCheck[], projectRoot: string, write: (text: string) => void): Promise<boolean> {
  const results = await Promise.all(checks.map((check) => runOne(check, projectRoot)));
  for (const result of results) {
    write(`${result.ok ? "pass" : "FAIL"}  ${result.name.padEnd(10)}  (${result.seconds.toFixed(1)} s)\n`);
    if (!result.ok) write(`${result.output.trimEnd()}\n`);
  }
  return results.every((result) => result.ok);
}

if (require.main === module) {
  runStaticChecks(STATIC_CHECKS, path.resolve(__dirname, ".."), (text) => process.stdout.write(text)).then((ok) => process.exit(ok ? 0 : 1));
}
