import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXAMPLE_ENVIRONMENTS, PROJECT_ROOT } from "./synth";

const APP_FILES = [
  "main.ts",
  "package.json",
  "tsconfig.json",
  "cdktf.json",
  "config",
  "tfjson",
  "stacks",
  "constructs",
  "addons",
  "audit",
  "review",
  "simulation",
  "charts",
  "scripts",
];

/**
 * A scratch copy of the app (sharing node_modules) so a test can plant bad
 * files. It holds the example environments only (with their helm-values and
 * the schemas), so tests about the examples see the same files on every
 * clone, whatever environments a user has added.
 */
export function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-app-"));
  for (const entry of APP_FILES) {
    const from = path.join(PROJECT_ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
  for (const folder of ["environments", "helm-values"]) {
    fs.mkdirSync(path.join(dir, folder));
    const files = ["schema.json", ...EXAMPLE_ENVIRONMENTS.map((name) => `${name}.yaml`)];
    for (const file of files) {
      const from = path.join(PROJECT_ROOT, folder, file);
      if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dir, folder, file));
    }
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

export interface SynthRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the app the way `npm run synth` does. */
export function runSynth(projectDir: string, env: NodeJS.ProcessEnv = {}): SynthRun {
  const result = spawnSync(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["main.ts"], {
    cwd: projectDir,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 120000,
  });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under a directory, relative path to content. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else out.set(child, fs.readFileSync(path.join(dir, child), "utf8"));
    }
  };
  walk("");
  return out;
}
