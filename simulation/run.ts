/**
 * Runs the simulation over synthesized environments: helm is found once,
 * renders are shared between environments (identical releases render once).
 */
import * as path from "node:path";
import { referenceDir } from "./charts";
import { PROJECT_ROOT, findHelm } from "./helm";
import type { StackJson, SynthesizedEnvironment } from "./model";
import { Simulation, simulate } from "./simulate";

export interface SimulateAllOptions {
  readonly projectRoot?: string;
  /** @default `${LAYER_REFERENCE_DIR:-../shared/reference}` */
  readonly referenceDir?: string;
}

/** Environments as the review holds them (stacks by name) placed where `npm run synth` writes them. */
export function atSynthLocation(
  envs: ReadonlyMap<string, { name: string; stacks: Record<string, StackJson> }>,
  projectRoot: string = PROJECT_ROOT,
): SynthesizedEnvironment[] {
  return [...envs.values()].map((e) => ({ name: e.name, stacks: e.stacks, stacksDir: path.join(projectRoot, "cdktf.out", "stacks") }));
}

export type SimulateAllResult = { simulations: Simulation[] } | { skip: string };

export async function simulateAll(envs: readonly SynthesizedEnvironment[], options: SimulateAllOptions = {}): Promise<SimulateAllResult> {
  const helm = findHelm(options.projectRoot ?? PROJECT_ROOT);
  if (typeof helm !== "string") return { skip: helm.skip };
  const refDir = options.referenceDir ?? referenceDir(options.projectRoot ?? PROJECT_ROOT);
  const simulations = await Promise.all(envs.map((env) => simulate(env, { helm, referenceDir: refDir })));
  return { simulations };
}
