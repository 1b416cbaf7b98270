/**
 * Jest global setup and teardown. Every temporary file of the run (cdktf's
 * test apps, terraform workdirs, project copies) goes into one directory,
 * removed at the end, so runs never pile up in the system's temp directory.
 * Every environment of environments/ is synthesized once, before the test
 * files run, into that directory, and synthExample() reads it
 * (test/helpers/synth.ts). Synth is deterministic
 * (test/synth/app.test.ts), and test/synth/synth-cache.test.ts proves the
 * cached JSON equals a fresh synth of the same code, so sharing it changes
 * no result, only how often the same stacks are built.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  RUN_TMPDIR_VARIABLE,
  SYNTH_CACHE_VARIABLE,
  SYSTEM_TMPDIR_VARIABLE,
  environmentNames,
  exampleEnvironment,
  synthCacheFile,
  synthEnvironment,
} from "./synth";

export default function writeSynthCache(): void {
  // Workers start after global setup and inherit this process's environment; os.tmpdir() reads TMPDIR.
  const system = os.tmpdir();
  const run = fs.mkdtempSync(path.join(system, "layer-test-run-"));
  // tsx keeps its compile cache in <tmp>/tsx-<user>: the run's scripts keep using the one that outlives runs.
  const tsxCache = `tsx-${process.geteuid?.() ?? os.userInfo().username}`;
  fs.mkdirSync(path.join(system, tsxCache), { recursive: true, mode: 0o700 });
  fs.symlinkSync(path.join(system, tsxCache), path.join(run, tsxCache));
  process.env[RUN_TMPDIR_VARIABLE] = run;
  // Restored by the global teardown (a watch run starts from the system's directory again).
  process.env[SYSTEM_TMPDIR_VARIABLE] = process.env.TMPDIR ?? "";
  process.env.TMPDIR = run;
  const dir = fs.mkdtempSync(path.join(run, "synth-cache-"));
  // An environment that fails to load or synthesize is left out: the test files that use it
  // synthesize it themselves and report the error where it belongs.
  let names: string[] = [];
  try {
    names = environmentNames();
  } catch {
    names = [];
  }
  for (const name of names) {
    try {
      const { aws, helm } = synthEnvironment(exampleEnvironment(name));
      fs.writeFileSync(synthCacheFile(dir, name), JSON.stringify({ aws, helm }));
    } catch {
      continue;
    }
  }
  process.env[SYNTH_CACHE_VARIABLE] = dir;
}
