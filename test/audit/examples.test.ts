/**
 * `npm run audit` as part of `npm test`: every example environment passes
 * the security bar with only recorded waivers, and the access expectations
 * that apply hold.
 */
import { auditProject, formatProjectAudit } from "../../audit/project";
import { count } from "../../audit/run";
import { loadEnvironments } from "../../config/load";
import { PROJECT_ROOT, synthExample } from "../helpers/synth";
import { addresses } from "../helpers/terraform-json";
import { STATEFUL_TYPES } from "../../audit/rules/lifecycle";

test("every environment passes the audit, with no stale waiver (npm run audit -- --strict)", async () => {
  const result = await auditProject(
    loadEnvironments(PROJECT_ROOT).map((env) => ({ env, stacks: synthExample(env.name) })),
    { projectRoot: PROJECT_ROOT, strictWaivers: true },
  );
  // The report goes to the console only when the audit fails.
  if (!result.ok) process.stdout.write(`${formatProjectAudit(result)}\n`);
  const failures = result.environments.flatMap(({ audit, expectations }) => [
    ...audit.results.filter((r) => r.status === "failed").flatMap((r) => r.failed.map((f) => `${audit.env.name} ${r.rule.id} ${f.address}: ${f.message}`)),
    ...expectations.filter((x) => x.status === "failed").map((x) => `${audit.env.name} ${x.expectation.id}: ${x.detail}`),
  ]);
  expect(failures).toEqual([]);
  expect(result.staleWaivers.map((w) => `${w.rule} [${w.resources.join(", ")}]`)).toEqual([]);
  expect(result.ok).toBe(true);
  // The audit really looked at something in every environment.
  for (const { audit } of result.environments) expect(count(audit, "passed")).toBeGreaterThan(0);
});

test("LIFE-01/LIFE-02: in prod every stateful resource is protected from destroy and keeps its service-side guard", async () => {
  const result = await auditProject([{ env: synthExample("prod").env, stacks: synthExample("prod") }], { projectRoot: PROJECT_ROOT });
  const results = result.environments[0].audit.results;
  const life01 = results.find((r) => r.rule.id === "LIFE-01")!;
  expect(life01.status).toBe("passed");
  const stateful = addresses(synthExample("prod").aws).filter((a) => STATEFUL_TYPES.includes(a.split(".")[0]));
  expect(stateful.length).toBeGreaterThan(0);
  expect(life01.passed.map((f) => f.address).sort()).toEqual(stateful);
  expect(results.find((r) => r.rule.id === "LIFE-02")!.status).toBe("passed");
});
