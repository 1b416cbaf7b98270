/**
 * The bad-input catalogue: `test/fixtures/bad-input/<case>/` holds the files a
 * user could get wrong (`environments/<name>.yaml`, `helm-values/<name>.yaml`)
 * and `expected.txt` with the field path and a fragment of the message.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { loadEnvironments } from "../../config/load";
import { ConfigError } from "../../config/errors";
import { addEnvironment } from "../../stacks/environment-stacks";
import { PROJECT_ROOT } from "./synth";

export const BAD_INPUT_DIR = path.join(PROJECT_ROOT, "test/fixtures/bad-input");

export interface BadInputCase {
  readonly name: string;
  readonly dir: string;
  /** Project-relative paths of the case's files (everything but expected.txt). */
  readonly files: string[];
  /** Dotted field path the message must name; empty when the problem is the whole file. */
  readonly field: string;
  readonly fragment: string;
  /** The file the message must name: the environment file unless `file:` says otherwise. */
  readonly file: string;
}

function filesUnder(dir: string, rel = ""): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const child = path.join(rel, e.name);
    return e.isDirectory() ? filesUnder(dir, child) : [child];
  });
}

export function badInputCases(): BadInputCase[] {
  return fs
    .readdirSync(BAD_INPUT_DIR)
    .sort()
    .map((name) => {
      const dir = path.join(BAD_INPUT_DIR, name);
      const expected = Object.fromEntries(
        fs
          .readFileSync(path.join(dir, "expected.txt"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => {
            const i = line.indexOf(":");
            return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
          }),
      );
      if (expected.fragment === undefined || expected.field === undefined) throw new Error(`${dir}/expected.txt needs "field:" and "fragment:" lines`);
      const files = filesUnder(dir).filter((f) => f !== "expected.txt");
      const file = expected.file ?? files.find((f) => f.startsWith("environments/"))!;
      return { name, dir, files, field: expected.field, fragment: expected.fragment, file };
    });
}

/** The text the message must start with for this case's file and field. */
export function expectedLocation(c: BadInputCase): string {
  return c.field === "" ? `${c.file}: found ` : `${c.file}: ${c.field}: found `;
}

export interface InProcessRun {
  readonly status: number;
  readonly stderr: string;
  /** Whether anything was written to the output directory. */
  readonly wroteOutput: boolean;
}

/** main.ts's steps in this process: load and validate, then build and synthesize into `<root>/cdktf.out`. */
function synthInProcess(root: string, only?: string): InProcessRun {
  const outdir = path.join(root, "cdktf.out");
  try {
    const environments = loadEnvironments(root, only);
    const app = new App({ outdir, skipValidation: false });
    for (const env of environments) addEnvironment(app, env);
    app.synth();
    return { status: 0, stderr: "", wroteOutput: fs.existsSync(outdir) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { status: 1, stderr: `Invalid configuration:\n${e.message}\n`, wroteOutput: fs.existsSync(outdir) };
  }
}

/**
 * Runs one case through the steps main.ts takes (load and validate every
 * environment file, then build and synthesize the stacks) in this process,
 * in a scratch project root holding only the case's files. One real
 * `tsx main.ts` run over every case (test/config/bad-input-catalogue.test.ts)
 * proves that the app itself behaves the same.
 */
export function runInProcess(c: BadInputCase): InProcessRun {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "layer-bad-input-"));
  try {
    for (const f of c.files) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.copyFileSync(path.join(c.dir, f), path.join(root, f));
    }
    return synthInProcess(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** main.ts's steps with `LAYER_ENV=<only>`, in a project root that holds other environments too. */
export function runSelectedInProcess(projectRoot: string, only: string): InProcessRun {
  return synthInProcess(projectRoot, only);
}
