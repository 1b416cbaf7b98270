/**
 * The run's shared synth (test/helpers/synth-cache.ts) is what a fresh synth
 * of the same code produces, for every environment, so a test that reads it
 * sees exactly what it would have built itself.
 */
import * as fs from "node:fs";
import { SYNTH_CACHE_VARIABLE, environmentNames, exampleEnvironment, synthCacheFile, synthEnvironment, synthExample } from "../helpers/synth";

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
