/** The simulation reads synthesized JSON only: it never imports the stacks, constructs or the review. */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../helpers/synth";

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

test("simulation/ imports nothing from stacks/, constructs/, review/ or scripts/", () => {
  const offending = sources(path.join(PROJECT_ROOT, "simulation")).flatMap((file) => {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/from\s+"([^"]+)"/g)]
      .map((m) => path.relative(PROJECT_ROOT, path.resolve(path.dirname(file), m[1])))
      .filter((target) => /^(stacks|constructs|review|scripts)(\/|$)/.test(target))
      .map((target) => `${path.relative(PROJECT_ROOT, file)} → ${target}`);
  });
  expect(offending).toEqual([]);
});
