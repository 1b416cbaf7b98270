/**
 * Synth of one environment in this process, into the project's cdktf.out,
 * exactly as `LAYER_ENV=<env> npm run synth` writes it (the app's steps:
 * stacks of that environment only, then cdktf's synth with validation).
 */
import * as path from "node:path";
import { App } from "cdktf";
import type { Environment } from "../../config/environment";
import { EnvironmentJson, readSynthOutput } from "../../review/synth-output";
import { addEnvironment } from "../../stacks/environment-stacks";

export function synthesizeEnvironment(projectRoot: string, env: Environment): EnvironmentJson {
  const outdir = path.join(projectRoot, "cdktf.out");
  const app = new App({ outdir, skipValidation: false });
  addEnvironment(app, env);
  app.synth();
  const synthesized = readSynthOutput(outdir).get(env.name);
  if (!synthesized) throw new Error(`synth wrote no stacks for ${env.name} under ${outdir}`);
  return synthesized;
}
