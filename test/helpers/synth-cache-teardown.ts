/** Jest global teardown: removes the run's synth cache (test/helpers/synth-cache.ts). */
import * as fs from "node:fs";
import { SYNTH_CACHE_VARIABLE } from "./synth";

export default function removeSynthCache(): void {
  const dir = process.env[SYNTH_CACHE_VARIABLE];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
