/**
 * The audit of a set of environments: rules, waivers and access
 * expectations, with one verdict.
 */
import type { Environment } from "../config/environment";
import { auditEnvironment, count, EnvironmentAudit, formatAudit, staleWaivers } from "./run";
import { ExpectationResult, checkExpectations } from "./access-expectations";
import { auditEnvironmentOf, synthesizeForAudit } from "./synth";
import { createContext } from "./terraform";
import { WAIVERS, Waiver } from "./waivers";

export interface ProjectAudit {
  readonly environments: Array<{ audit: EnvironmentAudit; expectations: ExpectationResult[] }>;
  readonly staleWaivers: Waiver[];
  readonly strictWaivers: boolean;
  readonly ok: boolean;
}

export async function auditProject(environments: readonly Environment[], options: { strictWaivers?: boolean; canaries?: string[] } = {}): Promise<ProjectAudit> {
  const out: ProjectAudit["environments"] = [];
  for (const env of environments) {
    const stacks = synthesizeForAudit(env);
    const auditEnv = auditEnvironmentOf(env);
    const audit = await auditEnvironment(auditEnv, stacks, { canaries: options.canaries });
    const expectations = await checkExpectations(createContext(auditEnv, stacks));
    out.push({ audit, expectations });
  }
  const stale = staleWaivers(out.map((e) => e.audit), WAIVERS);
  const failed = out.some((e) => count(e.audit, "failed") > 0 || e.expectations.some((x) => x.status === "failed"));
  return { environments: out, staleWaivers: stale, strictWaivers: !!options.strictWaivers, ok: !failed && !(options.strictWaivers && stale.length > 0) };
}

export function formatProjectAudit(result: ProjectAudit, verbose = false): string {
  const lines: string[] = [];
  for (const { audit, expectations } of result.environments) {
    lines.push(formatAudit(audit, verbose));
    for (const x of expectations) {
      if (x.status === "not-applicable" && !verbose) continue;
      const tag = x.status === "passed" ? "pass  " : x.status === "failed" ? "FAIL  " : "n/a   ";
      lines.push(`  ${tag} ${x.expectation.id} ${x.expectation.statement} (${x.detail})`);
    }
    const n = (s: string) => expectations.filter((x) => x.status === s).length;
    lines.push(`  -- access expectations: ${n("passed")} passed, ${n("failed")} failed, ${n("not-applicable")} not applicable (role not present yet)`);
  }
  for (const w of result.staleWaivers) {
    lines.push(`${result.strictWaivers ? "FAIL" : "note"}: stale waiver ${w.rule} [${w.resources.join(", ")}] matched nothing in the audited environments`);
  }
  lines.push(result.ok ? "audit passed" : "audit FAILED");
  return lines.join("\n");
}
