/**
 * Runs every rule over one environment's synthesized stacks, applies the
 * recorded waivers and reports passed, failed, waived and not-applicable
 * rules.
 */
import { ChartReader, createContext } from "./terraform";
import { RULES } from "./rules";
import { WAIVERS, Waiver } from "./waivers";
import type { AuditEnvironment, AuditStacks, Finding, Rule } from "./types";
import { globToRegExp } from "./iam/catalogue";

export type RuleStatus = "passed" | "failed" | "waived" | "not-applicable";

export interface WaivedFinding extends Finding {
  readonly waiver: Waiver;
}

export interface RuleResult {
  readonly rule: Rule;
  readonly status: RuleStatus;
  readonly passed: Finding[];
  readonly failed: Finding[];
  readonly waived: WaivedFinding[];
  /** Why the rule did not apply (no such resource, or protected-only). */
  readonly note?: string;
}

export interface EnvironmentAudit {
  readonly env: AuditEnvironment;
  readonly results: RuleResult[];
  /** Waivers that matched at least one finding here. */
  readonly usedWaivers: Set<Waiver>;
}

export interface AuditOptions {
  readonly rules?: readonly Rule[];
  readonly waivers?: readonly Waiver[];
  readonly canaries?: readonly string[];
  readonly chartTemplates?: ChartReader;
}

export function waiverMatches(waiver: Waiver, env: AuditEnvironment, ruleId: string, finding: Finding): boolean {
  if (waiver.rule !== ruleId) return false;
  if (!waiverAppliesTo(waiver, env)) return false;
  if (waiver.messageIncludes && !finding.message.includes(waiver.messageIncludes)) return false;
  return waiver.resources.some((glob) => globToRegExp(glob).test(finding.address));
}

export async function auditEnvironment(env: AuditEnvironment, stacks: AuditStacks, options: AuditOptions = {}): Promise<EnvironmentAudit> {
  const ctx = createContext(env, stacks, options.canaries ?? [], options.chartTemplates);
  const waivers = options.waivers ?? WAIVERS;
  const usedWaivers = new Set<Waiver>();
  const results: RuleResult[] = [];
  for (const rule of options.rules ?? RULES) {
    if (rule.protectedOnly && !env.protected) {
      results.push({ rule, status: "not-applicable", passed: [], failed: [], waived: [], note: "only in protected environments" });
      continue;
    }
    const findings = await rule.check(ctx);
    const passed = findings.filter((f) => f.ok);
    const failed: Finding[] = [];
    const waived: WaivedFinding[] = [];
    for (const f of findings.filter((x) => !x.ok)) {
      const waiver = waivers.find((w) => waiverMatches(w, env, rule.id, f));
      if (waiver) {
        usedWaivers.add(waiver);
        waived.push({ ...f, waiver });
      } else {
        failed.push(f);
      }
    }
    const status: RuleStatus = failed.length > 0 ? "failed" : waived.length > 0 ? "waived" : passed.length > 0 ? "passed" : "not-applicable";
    results.push({
      rule,
      status,
      passed,
      failed,
      waived,
      note: findings.length === 0 ? `no ${rule.resourceTypes.join(" / ")} in this environment` : undefined,
    });
  }
  return { env, results, usedWaivers };
}

export function count(audit: EnvironmentAudit, status: RuleStatus): number {
  return audit.results.filter((r) => r.status === status).length;
}

/** Whether a waiver's environment filter admits this environment. */
export function waiverAppliesTo(waiver: Waiver, env: AuditEnvironment): boolean {
  if (waiver.environments === "unprotected") return !env.protected;
  return waiver.environments === undefined || waiver.environments.includes(env.name);
}

/** Waivers that could apply to one of these environments but matched nothing in any of them. */
export function staleWaivers(audits: readonly EnvironmentAudit[], waivers: readonly Waiver[] = WAIVERS): Waiver[] {
  return waivers.filter((w) => audits.some((a) => waiverAppliesTo(w, a.env)) && !audits.some((a) => a.usedWaivers.has(w)));
}

export function formatAudit(audit: EnvironmentAudit, verbose = false): string {
  const lines: string[] = [];
  const e = audit.env;
  lines.push(`== ${e.name} (${e.protected ? "protected" : "not protected"}, ${e.region})`);
  for (const r of audit.results) {
    const head = `${r.rule.id.padEnd(17)} ${r.rule.title}`;
    if (r.status === "failed") {
      lines.push(`  FAIL   ${head}`);
      for (const f of r.failed) lines.push(`           ${f.stack}: ${f.address}: ${f.message}`);
    } else if (r.status === "waived") {
      lines.push(`  WAIVED ${head}`);
      for (const f of r.waived) lines.push(`           ${f.stack}: ${f.address}: ${f.message}\n             reason: ${f.waiver.reason}`);
    } else if (r.status === "passed") {
      lines.push(`  pass   ${head} (${r.passed.length})`);
      if (verbose) for (const f of r.passed) lines.push(`           ${f.address}: ${f.message}`);
    } else if (verbose) {
      lines.push(`  n/a    ${head}: ${r.note}`);
    }
  }
  lines.push(
    `  -- ${count(audit, "passed")} passed, ${count(audit, "failed")} failed, ${count(audit, "waived")} waived, ${count(audit, "not-applicable")} not applicable`,
  );
  return lines.join("\n");
}
