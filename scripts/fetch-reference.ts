/**
 * npm run fetch-reference [-- --to <dir>]        fetch the reference data from upstream
 * npm run fetch-reference -- --verify <dir>      check a directory against the manifest (offline)
 * npm run fetch-reference -- --write-manifest <dir>   record the checksums of a trusted copy
 *
 * The reference data the tests read (upstream charts at exact versions, CRDs,
 * chart values, compat tables, the security bar) is never part of the
 * repository. `scripts/reference-manifest.json` pins where each file comes
 * from (a chart by `helm pull` of its repository at an exact version, a file
 * by URL at a commit) and its sha256; this script fetches exactly those files
 * into `--to` (default: `LAYER_REFERENCE_DIR`, else `../shared/reference`) and
 * refuses any file whose checksum differs. Curated files (the compat tables,
 * the security bar, the READMEs) have no upstream: they come from
 * `--curated-from <base URL or directory>`.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type ReferenceSource =
  /** `helm pull` of `chart` from `repository` at exactly `version`; files are taken from `<chart folder>/<path>`. */
  | {
      readonly prefix: string;
      readonly helm: { readonly repository: string; readonly chart: string; readonly version: string; readonly path?: string };
      readonly note?: string;
    }
  /** Each file `<prefix><rel>` is fetched from `<url><rel>`; the URL names a commit. */
  | { readonly prefix: string; readonly url: string; readonly note?: string }
  /** Maintained with the project's reference set, not upstream: fetched from `--curated-from`. */
  | { readonly prefix: string; readonly curated: true; readonly note?: string };

export interface ReferenceManifest {
  readonly sources: readonly ReferenceSource[];
  /** Path inside the reference directory → sha256 (hex). */
  readonly files: Record<string, string>;
}

const PROJECT_ROOT = path.resolve(__dirname, "..");
export const MANIFEST_FILE = path.join(PROJECT_ROOT, "scripts/reference-manifest.json");

export function readManifest(file = MANIFEST_FILE): ReferenceManifest {
  return JSON.parse(fs.readFileSync(file, "utf8")) as ReferenceManifest;
}

/** The source of a file: the longest matching prefix (a prefix ending in `/` is a folder, otherwise one file). */
export function sourceOf(manifest: ReferenceManifest, file: string): ReferenceSource | undefined {
  const matches = manifest.sources.filter((s) => (s.prefix.endsWith("/") ? file.startsWith(s.prefix) : file === s.prefix));
  return matches.sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

export function sha256(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Every file under a directory, as `/`-separated paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk("");
  return out.sort();
}

/** Differences between a directory and the manifest; empty when they agree file for file. */
export function verifyTree(dir: string, manifest: ReferenceManifest): string[] {
  const problems: string[] = [];
  const present = new Set(listFiles(dir));
  for (const [file, expected] of Object.entries(manifest.files)) {
    if (!present.has(file)) problems.push(`${file}: missing`);
    else {
      const actual = sha256(fs.readFileSync(path.join(dir, file)));
      if (actual !== expected) problems.push(`${file}: sha256 ${actual}; expected ${expected}`);
    }
  }
  for (const file of present) if (!(file in manifest.files)) problems.push(`${file}: not in the manifest`);
  return problems;
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 300000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`);
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Fetches every file of the manifest into `to`; throws, naming each file, on any checksum mismatch. */
export async function fetchReference(manifest: ReferenceManifest, to: string, curatedFrom?: string): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "layer-reference-"));
  const pulled = new Map<string, string>();
  const helm = process.env.HELM || "helm";
  const problems: string[] = [];
  try {
    for (const [file, expected] of Object.entries(manifest.files)) {
      const source = sourceOf(manifest, file);
      if (!source) throw new Error(`${file}: no source in the manifest`);
      const rel = source.prefix.endsWith("/") ? file.slice(source.prefix.length) : path.posix.basename(file);
      let content: Buffer;
      if ("helm" in source) {
        const key = `${source.helm.repository} ${source.helm.chart} ${source.helm.version}`;
        let dir = pulled.get(key);
        if (!dir) {
          dir = fs.mkdtempSync(path.join(work, "chart-"));
          const oci = source.helm.repository.startsWith("oci://");
          const ref = oci ? `${source.helm.repository}` : source.helm.chart;
          run(helm, ["pull", ref, ...(oci ? [] : ["--repo", source.helm.repository]), "--version", source.helm.version, "--untar", "--untardir", dir], work);
          pulled.set(key, dir);
        }
        const chartDir = path.join(dir, fs.readdirSync(dir)[0]);
        const local = path.join(chartDir, source.helm.path ?? "", rel);
        if (!fs.existsSync(local)) {
          problems.push(`${file}: not in ${key}`);
          continue;
        }
        content = fs.readFileSync(local);
      } else if ("url" in source) {
        content = await download(`${source.url}${rel}`);
      } else {
        if (!curatedFrom) {
          problems.push(`${file}: curated; pass --curated-from <base URL or directory>`);
          continue;
        }
        content = /^https?:\/\//.test(curatedFrom)
          ? await download(`${curatedFrom.replace(/\/?$/, "/")}${file}`)
          : fs.readFileSync(path.join(curatedFrom, file));
      }
      const actual = sha256(content);
      if (actual !== expected) {
        problems.push(`${file}: sha256 ${actual}; expected ${expected}`);
        continue;
      }
      fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
      fs.writeFileSync(path.join(to, file), content);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (problems.length > 0) throw new Error(`reference data does not match the manifest:\n  ${problems.join("\n  ")}`);
}

function argument(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const manifest = readManifest();
  const toWrite = argument(args, "--write-manifest");
  if (toWrite) {
    const files = Object.fromEntries(listFiles(toWrite).map((f) => [f, sha256(fs.readFileSync(path.join(toWrite, f)))]));
    const orphans = Object.keys(files).filter((f) => !sourceOf(manifest, f));
    if (orphans.length > 0) throw new Error(`no source for: ${orphans.join(", ")}`);
    fs.writeFileSync(MANIFEST_FILE, `${JSON.stringify({ sources: manifest.sources, files }, null, 2)}\n`);
    process.stdout.write(`${Object.keys(files).length} files recorded in ${path.relative(PROJECT_ROOT, MANIFEST_FILE)}\n`);
    return 0;
  }
  const toVerify = argument(args, "--verify");
  if (toVerify) {
    const problems = verifyTree(toVerify, manifest);
    for (const p of problems) process.stderr.write(`${p}\n`);
    process.stdout.write(problems.length === 0 ? `${toVerify}: matches the manifest\n` : `${toVerify}: ${problems.length} differences\n`);
    return problems.length === 0 ? 0 : 1;
  }
  const to = path.resolve(PROJECT_ROOT, argument(args, "--to") ?? (process.env.LAYER_REFERENCE_DIR || "../shared/reference"));
  await fetchReference(manifest, to, argument(args, "--curated-from"));
  process.stdout.write(`${Object.keys(manifest.files).length} reference files in ${to}\n`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
