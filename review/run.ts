/** `npm run review`: synthesize, compare with a base, and write one review per environment. */
import * as fs from "node:fs";
import * as path from "node:path";
import { EnvironmentJson, readSynthOutput, synthesizeGitRef, synthesizeProject } from "./synth-output";
import { buildReview, renderMarkdown, Review } from "./report";
import { ClusterSummary, clusterSummary, skippedCluster } from "./cluster";
import { atSynthLocation, simulateAll } from "../simulation/run";

export interface ReviewOptions {
  readonly projectRoot: string;
  /** Only this environment (LAYER_ENV). */
  readonly only?: string;
  /** A previous `cdktf.out` (or a directory containing one). */
  readonly baseDir?: string;
  /** A git ref synthesized with its own code. */
  readonly baseRef?: string;
  /** @default <projectRoot>/cdktf.out/review */
  readonly outDir?: string;
  /** Fail (exit 2) when a stateful resource would be destroyed or replaced. */
  readonly failOnReplacement?: boolean;
  /** Run the install simulation for the "Cluster" section. @default true */
  readonly cluster?: boolean;
}

export interface ReviewRun {
  readonly reviews: Review[];
  readonly files: string[];
}

/** The install simulation of every current environment, for the review's "Cluster" section. */
async function clusterSections(projectRoot: string, current: Map<string, EnvironmentJson>): Promise<Map<string, ClusterSummary>> {
  const result = await simulateAll(atSynthLocation(current, projectRoot), { projectRoot });
  if ("skip" in result) return new Map([...current.keys()].map((name) => [name, skippedCluster(result.skip)]));
  return new Map(result.simulations.map((s) => [s.environment, clusterSummary(s)]));
}

export async function runReview(options: ReviewOptions): Promise<ReviewRun> {
  const current = synthesizeProject(options.projectRoot, options.only);
  const clusters = options.cluster === false ? new Map<string, ClusterSummary>() : await clusterSections(options.projectRoot, current);
  let base: { label: string; envs: Map<string, EnvironmentJson> } | undefined;
  if (options.baseDir && options.baseRef) throw new Error("give either --base <dir> or --base-ref <ref>, not both");
  if (options.baseDir) base = { label: options.baseDir, envs: readSynthOutput(path.resolve(options.projectRoot, options.baseDir)) };
  if (options.baseRef) base = { label: options.baseRef, envs: synthesizeGitRef(options.projectRoot, options.baseRef, options.only) };

  const names = new Set(current.keys());
  // Environments deleted since the base are reviewed too: everything in them is removed.
  if (base && !options.only) for (const name of base.envs.keys()) names.add(name);
  const outDir = path.resolve(options.projectRoot, options.outDir ?? "cdktf.out/review");
  fs.mkdirSync(outDir, { recursive: true });
  const reviews: Review[] = [];
  const files: string[] = [];
  for (const name of [...names].sort()) {
    const review = buildReview({
      name,
      current: current.get(name),
      base: base ? { label: base.label, env: base.envs.get(name) } : undefined,
      cluster: clusters.get(name),
    });
    reviews.push(review);
    const json = path.join(outDir, `${name}.json`);
    const md = path.join(outDir, `${name}.md`);
    fs.writeFileSync(json, `${JSON.stringify(review, null, 2)}\n`);
    fs.writeFileSync(md, renderMarkdown(review));
    files.push(json, md);
  }
  return { reviews, files };
}

/** 2 when asked to fail on a stateful replacement and one is found; otherwise 0. */
export function exitCode(reviews: readonly Review[], failOnReplacement: boolean | undefined): number {
  return failOnReplacement && reviews.some((r) => r.replacementCount > 0) ? 2 : 0;
}

export interface CliArgs extends Omit<ReviewOptions, "projectRoot"> {
  readonly help?: boolean;
}

export const USAGE = `usage: npm run review -- [--base <cdktf.out dir> | --base-ref <git ref>] [--env <name>] [--out <dir>] [--fail-on-replacement] [--no-cluster]
  LAYER_ENV=<name> limits the review to one environment (as --env does).`;

export function parseArgs(argv: readonly string[], environment: NodeJS.ProcessEnv = {}): CliArgs {
  const args: { -readonly [K in keyof CliArgs]: CliArgs[K] } = { only: environment.LAYER_ENV || undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === "--base") args.baseDir = value();
    else if (flag === "--base-ref") args.baseRef = value();
    else if (flag === "--env") args.only = value();
    else if (flag === "--out") args.outDir = value();
    else if (flag === "--fail-on-replacement") args.failOnReplacement = true;
    else if (flag === "--no-cluster") args.cluster = false;
    else if (flag === "--help" || flag === "-h") args.help = true;
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  if (args.baseDir && args.baseRef) throw new Error(`give either --base or --base-ref, not both\n${USAGE}`);
  return args;
}
