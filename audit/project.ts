/**
 * The audit of a set of environments: rules, waivers and access
 * expectations, with one verdict.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Environment } from "../config/environment";
import { helmStackName, awsStackName } from "../config/environment";
import type { ChartReader } from "./terraform";
import { auditEnvironment, count, EnvironmentAudit, formatAudit, staleWaivers } from "./run";
import { ExpectationResult, checkExpectations } from "./access-expectations";
import { createContext } from "./terraform";
import type { AuditEnvironment, AuditStacks } from "./types";
import { WAIVERS, Waiver } from "./waivers";
import { enabledAddons } from "../addons/catalog";

/** An environment with its synthesized stacks: the audit reads the JSON, never the code that made it. */
export interface SynthesizedEnvironment {
  readonly env: Environment;
  readonly stacks: AuditStacks;
}

export function auditEnvironmentOf(env: Environment): AuditEnvironment {
  return {
    name: env.name,
    protected: env.protected,
    region: env.region,
    accountId: env.accountId,
    partition: env.partition,
    addons: enabledAddons(env).map((addon) => ({ name: addon.name, releases: addon.releases(env) })),
  };
}

export interface ProjectAudit {
  readonly environments: Array<{ audit: EnvironmentAudit; expectations: ExpectationResult[] }>;
  readonly staleWaivers: Waiver[];
  readonly strictWaivers: boolean;
  readonly ok: boolean;
}

/**
 * Local charts are referenced relative to the stack's working directory
 * (`cdktf.out/stacks/<stack>/`); their templates are read from the project.
 */
export function localChartReader(projectRoot: string, env: Environment): ChartReader {
  return (release) => {
    const chart = release.body.chart;
    if (typeof chart !== "string" || release.body.repository || chart.startsWith("oci://") || chart.includes("${")) return undefined;
    const stack = release.stack === "helm" ? helmStackName(env) : awsStackName(env);
    const dir = path.resolve(projectRoot, "cdktf.out/stacks", stack, chart, "templates");
    if (!fs.existsSync(dir)) return undefined;
    return fs
      .readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => ({ file: path.relative(projectRoot, path.join(dir, f)), text: fs.readFileSync(path.join(dir, f), "utf8") }));
  };
}

export async function auditProject(
  environments: readonly SynthesizedEnvironment[],
  options: { strictWaivers?: boolean; canaries?: string[]; projectRoot?: string } = {},
): Promise<ProjectAudit> {
  const out: ProjectAudit["environments"] = [];
  for (const { env, stacks } of environments) {
    const auditEnv = auditEnvironmentOf(env);
    const chartTemplates = options.projectRoot ? localChartReader(options.projectRoot, env) : undefined;
    const audit = await auditEnvironment(auditEnv, stacks, { canaries: options.canaries, chartTemplates });
    const expectations = await checkExpectations(createContext(auditEnv, stacks, options.canaries, chartTemplates));
    out.push({ audit, expectations });
  }
  const stale = staleWaivers(
    out.map((e) => e.audit),
    WAIVERS,
  );
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
