/**
 * `npm run audit` as part of `npm test`: every example environment passes
 * the security bar with only recorded waivers, and the access expectations
 * that apply hold.
 */
import { auditProject, formatProjectAudit } from "../../audit/project";
import { count } from "../../audit/run";
import { loadEnvironments } from "../../config/load";
import { PROJECT_ROOT } from "../helpers/synth";

test("every example environment passes the audit", async () => {
  const result = await auditProject(loadEnvironments(PROJECT_ROOT));
  const report = formatProjectAudit(result);
  process.stdout.write(`${report}\n`);
  const failures = result.environments.flatMap(({ audit, expectations }) => [
    ...audit.results.filter((r) => r.status === "failed").flatMap((r) => r.failed.map((f) => `${audit.env.name} ${r.rule.id} ${f.address}: ${f.message}`)),
    ...expectations.filter((x) => x.status === "failed").map((x) => `${audit.env.name} ${x.expectation.id}: ${x.detail}`),
  ]);
  expect(failures).toEqual([]);
  expect(result.ok).toBe(true);
  // The audit really looked at something in every environment.
  for (const { audit } of result.environments) expect(count(audit, "passed")).toBeGreaterThan(0);
});
