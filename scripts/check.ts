/**
 * npm run check -- <env>
 *
 * Proves one environment end to end, as a user runs it before a pull request:
 * synth of that environment only (into cdktf.out), the audit, terraform
 * validate and an offline plan of its AWS stack, terraform validate of its
 * Helm stack with the helm/kubernetes resources stubbed, the install
 * simulation, and the review.
 * One line per step; exit 1 when any step fails.
 *
 * The terraform steps need terraform on PATH and a provider mirror
 * (LAYER_TF_PROVIDER_MIRROR); without them they print SKIP, or FAIL under
 * LAYER_REQUIRE_ALL_TIERS=1.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../config/errors";
import type { Environment } from "../config/environment";
import { awsStackName, helmStackName } from "../config/environment";
import { loadEnvironments } from "../config/load";
import { auditProject, formatProjectAudit } from "../audit/project";
import { count } from "../audit/run";
import { buildReview, renderMarkdown } from "../review/report";
import type { EnvironmentJson } from "../review/synth-output";
import type { StackJson } from "../tfjson/stack-json";
import { referenceDir } from "../simulation/charts";
import { atSynthLocation, simulateAll } from "../simulation/run";
import { failures, unrenderedReleases } from "../simulation/simulate";
import { renderText } from "../simulation/table";
import { stubKubernetesResources } from "./lib/helm-stub";
import { synthesizeEnvironment } from "./lib/synth";
import { TerraformWorkdir, findToolchain, offlineOverride } from "./lib/terraform";

export type Verdict = "pass" | "FAIL" | "SKIP";

export interface StepResult {
  readonly step: string;
  readonly verdict: Verdict;
  readonly detail: string;
  /** Printed under the verdict line when the step fails (an audit report, terraform's output). */
  readonly report?: string;
}

export interface CheckOptions {
  readonly projectRoot: string;
  readonly env: string;
  /** Process environment consulted for LAYER_REQUIRE_ALL_TIERS and the provider mirror. */
  readonly environment?: NodeJS.ProcessEnv;
}

const required = (environment: NodeJS.ProcessEnv) => environment.LAYER_REQUIRE_ALL_TIERS === "1";

/** A step that cannot run: SKIP, or FAIL when every tier is required. */
function unavailable(step: string, reason: string, environment: NodeJS.ProcessEnv): StepResult {
  return required(environment) ? { step, verdict: "FAIL", detail: `${reason} (LAYER_REQUIRE_ALL_TIERS=1)` } : { step, verdict: "SKIP", detail: reason };
}

function providerAliases(stack: StackJson): string[] {
  const aws = stack.provider?.aws;
  return (Array.isArray(aws) ? aws : aws ? [aws] : []).map((p: any) => p.alias).filter((a: unknown): a is string => typeof a === "string");
}

function terraformAws(aws: StackJson | undefined, environment: NodeJS.ProcessEnv): StepResult {
  const step = "terraform aws";
  if (!aws) return { step, verdict: "pass", detail: "no AWS stack (helm-only)" };
  const toolchain = findToolchain();
  if (typeof toolchain === "string") return unavailable(step, toolchain, environment);
  const readsAws = Object.keys(aws.data ?? {}).length > 0;
  const workdir = new TerraformWorkdir(toolchain, { "cdk.tf.json": aws, "offline_override.tf.json": offlineOverride(providerAliases(aws)) });
  try {
    if (readsAws) {
      // Data sources (an existing cluster, its VPC) are read at plan time: offline, only validate runs.
      const init = workdir.run("init", "-input=false");
      const run = init.status !== 0 ? { step: "init", ...init } : { step: "validate", ...workdir.run("validate") };
      if (run.status !== 0) return { step, verdict: "FAIL", detail: `terraform ${run.step} failed`, report: run.output };
      return { step, verdict: "pass", detail: "validate (no offline plan: the stack reads AWS through data sources at plan time)" };
    }
    const result = workdir.planOffline();
    if (result.status !== 0) return { step, verdict: "FAIL", detail: `terraform ${result.step} failed`, report: result.output };
    const creates = result.changes.filter((c) => c.action === "create").length;
    return { step, verdict: "pass", detail: `offline plan (validated on the way): ${creates} to create` };
  } finally {
    workdir.remove();
  }
}

function terraformHelm(helm: StackJson, environment: NodeJS.ProcessEnv): StepResult {
  const step = "terraform helm";
  const toolchain = findToolchain();
  if (typeof toolchain === "string") return unavailable(step, toolchain, environment);
  const workdir = new TerraformWorkdir(toolchain, { "cdk.tf.json": stubKubernetesResources(helm) });
  try {
    const init = workdir.run("init", "-input=false", "-backend=false");
    const run = init.status !== 0 ? { step: "init", ...init } : { step: "validate", ...workdir.run("validate") };
    if (run.status !== 0) return { step, verdict: "FAIL", detail: `terraform ${run.step} failed`, report: run.output };
    return { step, verdict: "pass", detail: "validate, helm and kubernetes resources stubbed" };
  } finally {
    workdir.remove();
  }
}

/** The install simulation (`npm run simulate -- <env>`) of the stacks just synthesized, in this process. */
async function simulate(projectRoot: string, synthesized: EnvironmentJson, environment: NodeJS.ProcessEnv): Promise<StepResult> {
  const step = "simulate";
  const started = Date.now();
  const result = await simulateAll(atSynthLocation(new Map([[synthesized.name, synthesized]]), projectRoot), {
    projectRoot,
    referenceDir: referenceDir(projectRoot, environment),
  });
  if ("skip" in result) return unavailable(step, result.skip, environment);
  const simulation = result.simulations[0];
  // A release whose chart is not in the reference directory was not simulated: a loud skip, not a pass.
  const unrendered = unrenderedReleases(simulation);
  if (unrendered.length > 0) return unavailable(step, `${unrendered.length} release(s) not rendered: ${unrendered[0].message}`, environment);
  const failing = failures(simulation).length;
  const detail = `${failing} failing check(s), simulated in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  return failing === 0 ? { step, verdict: "pass", detail } : { step, verdict: "FAIL", detail, report: renderText(simulation, { verbose: false }) };
}

export async function check(options: CheckOptions): Promise<StepResult[]> {
  const environment = options.environment ?? process.env;
  const results: StepResult[] = [];
  let env: Environment;
  let synthesized: EnvironmentJson;
  try {
    env = loadEnvironments(options.projectRoot, options.env)[0];
    synthesized = synthesizeEnvironment(options.projectRoot, env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return [{ step: "synth", verdict: "FAIL", detail: "invalid configuration; nothing else was checked", report: e.message }];
  }
  const aws = synthesized.stacks[awsStackName(env)];
  const helm = synthesized.stacks[helmStackName(env)];
  results.push({
    step: "synth",
    verdict: "pass",
    detail: Object.keys(synthesized.stacks)
      .sort()
      .map((s) => `cdktf.out/stacks/${s}`)
      .join(", "),
  });

  const audit = await auditProject([{ env, stacks: { aws, helm } }], { projectRoot: options.projectRoot });
  const { audit: envAudit, expectations } = audit.environments[0];
  const summary = `${count(envAudit, "passed")} rules passed, ${count(envAudit, "waived")} waived, ${count(envAudit, "failed")} failed; ${expectations.filter((x) => x.status === "failed").length} access expectations failed`;
  results.push(
    audit.ok ? { step: "audit", verdict: "pass", detail: summary } : { step: "audit", verdict: "FAIL", detail: summary, report: formatProjectAudit(audit) },
  );

  results.push(terraformAws(aws, environment));
  results.push(terraformHelm(helm, environment));
  results.push(await simulate(options.projectRoot, synthesized, environment));

  const review = buildReview({ name: env.name, current: synthesized });
  const outDir = path.join(options.projectRoot, "cdktf.out/review");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, `${env.name}.json`), `${JSON.stringify(review, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, `${env.name}.md`), renderMarkdown(review));
  results.push({ step: "review", verdict: "pass", detail: `cdktf.out/review/${env.name}.md, $${review.monthlyCostUsd.toFixed(2)}/month baseline` });
  return results;
}

export function formatCheck(name: string, results: readonly StepResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.verdict.padEnd(4)}  ${r.step.padEnd(14)}  ${r.detail}`);
    if (r.verdict === "FAIL" && r.report)
      lines.push(
        ...r.report
          .trimEnd()
          .split("\n")
          .map((l) => `      ${l}`),
      );
  }
  const failed = results.filter((r) => r.verdict === "FAIL").length;
  const skipped = results.filter((r) => r.verdict === "SKIP").length;
  const notRun = skipped === 0 ? "" : `, ${skipped} step${skipped === 1 ? "" : "s"} not run (SKIP)`;
  lines.push(failed === 0 ? `check ${name}: passed${notRun}` : `check ${name}: FAILED (${failed} step${failed === 1 ? "" : "s"}${notRun})`);
  return lines.join("\n");
}

async function main(): Promise<number> {
  const name = process.argv.slice(2).find((a) => !a.startsWith("-"));
  if (!name) {
    process.stderr.write("usage: npm run check -- <environment>   (the name of a file in environments/)\n");
    return 2;
  }
  const results = await check({ projectRoot: path.resolve(__dirname, ".."), env: name });
  process.stdout.write(`${formatCheck(name, results)}\n`);
  return results.some((r) => r.verdict === "FAIL") ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
