/**
 * Synthesizes an environment's stacks in memory for the audit, through the
 * same `addEnvironment` the app uses. Nothing is written to cdktf.out.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import type { Environment } from "../config/environment";
import { addEnvironment } from "../stacks/environment-stacks";
import type { AuditEnvironment, AuditStacks, StackJson } from "./types";

export function synthesizeForAudit(env: Environment): AuditStacks {
  // The App needs an outdir even though nothing is synthesized to it.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-audit-"));
  try {
    const app = new App({ outdir, skipValidation: false });
    const stacks = addEnvironment(app, env);
    const json = (stack: Parameters<typeof Testing.synth>[0]) => JSON.parse(Testing.synth(stack, true)) as StackJson;
    return { aws: stacks.aws ? json(stacks.aws) : undefined, helm: json(stacks.helm) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

export function auditEnvironmentOf(env: Environment): AuditEnvironment {
  return { name: env.name, protected: env.protected, region: env.region, accountId: env.accountId, partition: env.partition };
}
