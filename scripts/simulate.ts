/**
 * npm run simulate [-- <env> ...] [--verbose] [--from <cdktf.out>]
 * Synthesizes the environments in memory (or reads a previous `cdktf.out`),
 * renders every release with the real charts and prints the install
 * simulation. Exit 1 when any check fails.
 */
import * as path from "node:path";
import { ConfigError } from "../config/errors";
import { readSynthOutput, synthesizeProject } from "../review/synth-output";
import { atSynthLocation, simulateAll } from "../simulation/run";
import { failures, unrenderedReleases } from "../simulation/simulate";
import { renderText } from "../simulation/table";

const USAGE = "usage: npm run simulate -- [<env> ...] [--verbose] [--json] [--from <cdktf.out dir>]";

async function main(argv: string[]): Promise<number> {
  const projectRoot = path.resolve(__dirname, "..");
  const names: string[] = [];
  let verbose = false;
  let json = false;
  let from: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--verbose" || argv[i] === "-v") verbose = true;
    else if (argv[i] === "--json") json = true;
    else if (argv[i] === "--from") from = argv[++i];
    else if (argv[i] === "--help" || argv[i] === "-h") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (argv[i].startsWith("-")) throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    else names.push(argv[i]);
  }
  if (from === "") throw new Error(`--from needs a directory\n${USAGE}`);
  const only = names.length === 1 ? names[0] : process.env.LAYER_ENV || undefined;
  const synthesized = from ? readSynthOutput(path.resolve(projectRoot, from)) : synthesizeProject(projectRoot, only);
  const wanted = names.length > 0 ? names : [...synthesized.keys()];
  const missing = wanted.filter((n) => !synthesized.has(n));
  if (missing.length > 0) throw new Error(`no synthesized stacks for ${missing.join(", ")} (environments: ${[...synthesized.keys()].join(", ") || "none"})`);
  const envs = atSynthLocation(new Map(wanted.map((n) => [n, synthesized.get(n)!])), projectRoot);
  const started = Date.now();
  const result = await simulateAll(envs, { projectRoot });
  if ("skip" in result) {
    process.stderr.write(`SKIP install simulation: ${result.skip}\n`);
    return 1;
  }
  let failed = 0;
  for (const s of result.simulations) failed += failures(s).length;
  if (json) {
    const report = result.simulations.map((s) => ({
      environment: s.environment,
      mode: s.mode,
      findings: s.findings,
      capacity: s.capacity,
      prerequisites: s.prerequisites,
    }));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return failed > 0 ? 1 : 0;
  }
  for (const s of result.simulations) process.stdout.write(`${renderText(s, { verbose })}\n`);
  process.stdout.write(
    `${result.simulations.length} environment(s) simulated in ${((Date.now() - started) / 1000).toFixed(1)} s; ${failed} failing check(s)\n`,
  );
  // A release whose chart is not in the reference directory was not simulated: said loudly, and a failure
  // when every tier is required (as npm run check does).
  const unrendered = result.simulations.flatMap(unrenderedReleases);
  if (unrendered.length > 0) {
    const required = process.env.LAYER_REQUIRE_ALL_TIERS === "1";
    process.stderr.write(`${required ? "FAIL" : "SKIP"}: ${unrendered.length} release(s) not rendered, first: ${unrendered[0].message}\n`);
    if (required) return 1;
  }
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    if (e instanceof ConfigError) process.stderr.write(`Invalid configuration:\n${e.message}\n`);
    else process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
