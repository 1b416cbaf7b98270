/**
 * The path from an empty ECR repository to a pullable image and chart:
 * prints (or, with --run, runs) the AWS CLI, docker and helm commands that
 * copy the pinned gateway, operator and dashboard images from the vendor's
 * registry into this environment's ECR repositories and push the product
 * chart as an OCI artifact to its `<prefix>-<env>/layer` repository.
 *
 *   npm run artifacts -- dev --source docker.io/hevlayer --chart ../layer/infra/helm/layer
 *   npm run artifacts -- dev --source ... --chart ... --run
 *
 * The source names images `<source>/layer-gateway-pro`, `layer-operator` and
 * `layer-dashboard` (the chart's documented customer pull paths).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { loadEnvironments } from "../config/load";
import { ConfigError } from "../config/errors";
import { imageReference } from "../config/release-values";
import type { Environment } from "../config/environment";
import { registryHost, repositoryUrl } from "../config/naming";
import { PRODUCT_CHART_VERSION, releaseChart } from "../stacks/release-wiring";

const USAGE = "usage: npm run artifacts -- <env> --source <registry/namespace> --chart <chart directory> [--run]";

/** The vendor's image names (chart values.yaml comments: `hevlayer/layer-gateway-pro:<version>` and so on). */
export const SOURCE_IMAGE_NAMES = { gateway: "layer-gateway-pro", operator: "layer-operator", dashboard: "layer-dashboard" } as const;

/** The shell commands, in order, that publish the environment's images and chart. */
export function artifactCommands(env: Environment, source: string, chartDir: string): string[] {
  if (env.mode === "helm-only" || env.release.images.registry) {
    throw new ConfigError(env.file, [
      {
        path: env.mode === "helm-only" ? "mode" : "release.images.registry",
        found: env.mode === "helm-only" ? "helm-only" : env.release.images.registry!,
        expected: "an environment whose images live in its own ECR repositories (this one pulls from a registry it names)",
      },
    ]);
  }
  const registry = registryHost(env);
  const commands = [`aws ecr get-login-password --region ${env.region} | docker login --username AWS --password-stdin ${registry}`];
  for (const image of Object.keys(SOURCE_IMAGE_NAMES) as Array<keyof typeof SOURCE_IMAGE_NAMES>) {
    const pinned = env.release.images[image];
    if (!pinned || pinned.repository) continue;
    const from = imageReference(`${source.replace(/\/$/, "")}/${SOURCE_IMAGE_NAMES[image]}`, pinned);
    const to = imageReference(repositoryUrl(env, image), { tag: pinned.tag });
    // ECR tags are immutable here: a digest-only pin still needs a tag to push under.
    commands.push(
      `docker pull ${from}`,
      `docker tag ${from} ${pinned.tag ? to : `${to}:${pinned.digest!.slice(7, 19)}`}`,
      `docker push ${pinned.tag ? to : `${to}:${pinned.digest!.slice(7, 19)}`}`,
    );
  }
  const chart = releaseChart(env);
  if ("repository" in chart) {
    commands.push(
      `aws ecr get-login-password --region ${env.region} | helm registry login --username AWS --password-stdin ${registry}`,
      `helm package ${chartDir} --version ${chart.version} --destination cdktf.out/charts`,
      `helm push cdktf.out/charts/${chart.chart}-${chart.version}.tgz ${chart.repository}`,
    );
  }
  return commands;
}

function main(): void {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const name = args[0];
  const source = flag("--source");
  const chartDir = flag("--chart");
  if (!name || name.startsWith("--") || !source || !chartDir)
    throw new ConfigError("arguments", [{ path: "", found: args.join(" ") || "nothing", expected: USAGE }]);
  const env = loadEnvironments(path.resolve(__dirname, ".."), name)[0];
  const commands = artifactCommands(env, source, chartDir);
  if (!args.includes("--run")) {
    process.stdout.write(`# Chart ${PRODUCT_CHART_VERSION} and images for ${env.name}; run with --run, or copy:\n${commands.join("\n")}\n`);
    return;
  }
  for (const command of commands) {
    process.stdout.write(`$ ${command}\n`);
    const run = spawnSync("sh", ["-c", command], { stdio: "inherit" });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Cannot publish:\n${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
