/**
 * An environment's stacks synthesized in memory, through the same
 * `addEnvironment` the app uses, as the Terraform JSON `cdktf synth` writes.
 * Nothing is written to cdktf.out.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import type { Environment } from "../config/environment";
import type { StackJson } from "../tfjson/stack-json";
import { addEnvironment } from "./environment-stacks";

export interface SynthesizedStacks {
  /** Absent in helm-only mode. */
  readonly aws?: StackJson;
  readonly helm: StackJson;
}

export function synthesizeInMemory(env: Environment): SynthesizedStacks {
  // The App needs an outdir even though nothing is synthesized to it.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-synth-"));
  try {
    const app = new App({ outdir, skipValidation: false });
    const stacks = addEnvironment(app, env);
    const json = (stack: Parameters<typeof Testing.synth>[0]) => JSON.parse(Testing.synth(stack, true)) as StackJson;
    return { aws: stacks.aws ? json(stacks.aws) : undefined, helm: json(stacks.helm) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
