/**
 * Jest global setup and teardown: synthesizes every environment of
 * environments/ once, before the test files run, into a scratch directory
 * that synthExample() reads (test/helpers/synth.ts). Synth is deterministic
 * (test/synth/app.test.ts), and test/synth/synth-cache.test.ts proves the
 * cached JSON equals a fresh synth of the same code, so sharing it changes
 * no result, only how often the same stacks are built.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SYNTH_CACHE_VARIABLE, environmentNames, exampleEnvironment, synthCacheFile, synthEnvironment } from "./synth";

export default function writeSynthCache(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-synth-cache-"));
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
  // Workers start after global setup and inherit this process's environment.
  process.env[SYNTH_CACHE_VARIABLE] = dir;
}
