/**
 * npm run audit                  audits every environment in environments/
 * LAYER_ENV=prod npm run audit   audits one
 *   --verbose   also lists passing findings and rules that do not apply
 *   --strict    a stale waiver (one that matches nothing) fails the run
 *   --rules     prints the rules, waivers and expectations tables (markdown) and exits
 *   --docs      rewrites those tables in docs/audit.md and exits
 *
 * Synthesizes in memory (no cdktf.out needed), hands the audit the JSON, runs every rule of the
 * security bar (audit/rules), applies the recorded waivers (audit/waivers.ts)
 * and evaluates the access expectations (audit/access-expectations.ts).
 * Exits 1 on any failure.
 */
import * as path from "node:path";
import { loadEnvironments } from "../config/load";
import { ConfigError } from "../config/errors";
import { auditProject, formatProjectAudit } from "../audit/project";
import { rulesMarkdown, writeRulesIntoDocs } from "../audit/docs";
import { synthesizeInMemory } from "../stacks/synthesize";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes("--docs")) {
    writeRulesIntoDocs(path.resolve(__dirname, "..", "docs/audit.md"));
    return 0;
  }
  if (args.includes("--rules")) {
    process.stdout.write(`${rulesMarkdown()}\n`);
    return 0;
  }
  const projectRoot = path.resolve(__dirname, "..");
  const environments = loadEnvironments(projectRoot, process.env.LAYER_ENV || undefined);
  const synthesized = environments.map((env) => ({ env, stacks: synthesizeInMemory(env) }));
  const result = await auditProject(synthesized, { strictWaivers: args.includes("--strict"), projectRoot });
  process.stdout.write(`${formatProjectAudit(result, args.includes("--verbose"))}\n`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`Invalid configuration:\n${e.message}\n`);
      process.exit(1);
    }
    throw e;
  },
);
