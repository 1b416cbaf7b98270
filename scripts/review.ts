/**
 * npm run review [-- --base <dir> | --base-ref <ref>] [--env <name>] [--fail-on-replacement]
 * Writes cdktf.out/review/<env>.md and <env>.json for every environment.
 */
import * as path from "node:path";
import { ConfigError } from "../config/errors";
import { exitCode, parseArgs, runReview, USAGE } from "../review/run";

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), process.env);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const projectRoot = path.resolve(__dirname, "..");
  const { reviews, files } = await runReview({ projectRoot, ...args });
  for (const r of reviews) {
    const flag = r.replacementCount > 0 ? `  ${r.replacementCount} STATEFUL REPLACEMENT(S)` : "";
    process.stdout.write(`${r.environment}: $${r.monthlyCostUsd.toFixed(2)}/month baseline${flag}\n`);
  }
  process.stdout.write(`wrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`);
  const code = exitCode(reviews, args.failOnReplacement);
  if (code !== 0) process.stderr.write("stateful resources would be destroyed or replaced (see the review); failing as --fail-on-replacement asks\n");
  return code;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    if (e instanceof ConfigError) process.stderr.write(`Invalid configuration:\n${e.message}\n`);
    else process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
