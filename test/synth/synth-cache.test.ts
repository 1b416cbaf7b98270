/**
 * The run's shared synth (test/helpers/synth-cache.ts) is what a fresh synth
 * of the same code produces, for every environment, so a test that reads it
 * sees exactly what it would have built itself.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import {
  RUN_TMPDIR_VARIABLE,
  SYNTH_CACHE_VARIABLE,
  environmentNames,
  exampleEnvironment,
  synthCacheFile,
  synthEnvironment,
  synthExample,
} from "../helpers/synth";

const dir = process.env[SYNTH_CACHE_VARIABLE];

test("the global setup synthesized every environment of environments/", () => {
  expect(dir).toBeDefined();
  expect(environmentNames().filter((name) => !fs.existsSync(synthCacheFile(dir!, name)))).toEqual([]);
});

test.each(environmentNames())("the shared synth of %s equals a fresh synth", (name) => {
  const fresh = synthEnvironment(exampleEnvironment(name));
  const shared = synthExample(name);
  expect(shared.aws).toEqual(fresh.aws);
  expect(shared.helm).toEqual(fresh.helm);
  expect(shared.env).toEqual(fresh.env);
});

test("the run's temporary files go into its own directory (the global teardown removes it), except tsx's cache", () => {
  const run = process.env[RUN_TMPDIR_VARIABLE];
  expect(run).toBeDefined();
  expect(os.tmpdir()).toBe(run);
  // cdktf's test apps write their output under the temp directory and never remove it.
  const outdir = (Testing.app() as unknown as { outdir: string }).outdir;
  expect(path.relative(run!, outdir).startsWith("..")).toBe(false);
  expect(path.relative(run!, dir!).startsWith("..")).toBe(false);
  // tsx's compile cache stays where it outlives the run.
  const tsxCache = fs.readdirSync(run!).find((entry) => entry.startsWith("tsx-"));
  expect(tsxCache && fs.lstatSync(path.join(run!, tsxCache)).isSymbolicLink()).toBe(true);
});
