/** Jest global teardown: removes the run's temporary directory and synth cache (test/helpers/synth-cache.ts). */
import * as fs from "node:fs";
import { RUN_TMPDIR_VARIABLE, SYSTEM_TMPDIR_VARIABLE } from "./synth";

export default function removeRunDirectory(): void {
  const dir = process.env[RUN_TMPDIR_VARIABLE];
  // Symbolic links inside (the tsx cache) are removed, never followed.
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  const system = process.env[SYSTEM_TMPDIR_VARIABLE];
  if (system === undefined) return;
  if (system === "") delete process.env.TMPDIR;
  else process.env.TMPDIR = system;
}
