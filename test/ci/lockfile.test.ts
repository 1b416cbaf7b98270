/**
 * The committed lockfile is complete, as `npm ci` requires on any platform:
 * it matches package.json, and every optional platform package a locked
 * package names (@swc/core-darwin-arm64, @esbuild/linux-x64, ...) is locked
 * too, which is what npm 11 checks and what `npm install` would otherwise add.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../helpers/synth";

type Lock = {
  packages: Record<
    string,
    {
      version?: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      link?: boolean;
    }
  >;
};

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"));

/** Where node would find `name` from the package at `at` (`node_modules/a/node_modules/b` walks up). */
function resolves(lock: Lock, at: string, name: string): boolean {
  let dir = at;
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ""}node_modules/${name}`]) return true;
    if (!dir) return false;
    const i = dir.lastIndexOf("/node_modules/");
    dir = i >= 0 ? dir.slice(0, i) : "";
  }
}

/** Optional dependencies named by a locked package but missing from the lock. */
export function missingOptional(lock: Lock): string[] {
  const out: string[] = [];
  for (const [at, pkg] of Object.entries(lock.packages)) {
    for (const name of Object.keys(pkg.optionalDependencies ?? {})) if (!resolves(lock, at, name)) out.push(`${at || "<root>"} -> ${name}`);
  }
  return out.sort();
}

test("the lockfile's root matches package.json exactly", () => {
  const pkg = read("package.json");
  const lock = read("package-lock.json") as Lock & { lockfileVersion: number };
  expect(lock.lockfileVersion).toBe(3);
  expect(lock.packages[""].dependencies).toEqual(pkg.dependencies);
  expect(lock.packages[""].devDependencies).toEqual(pkg.devDependencies);
  // Exact pins: a range would let npm install move them.
  for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies } as Record<string, string>)) {
    expect({ name, version }).toEqual({ name, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  }
});

test("every optional platform package is locked, for every platform", () => {
  const lock = read("package-lock.json") as Lock;
  expect(missingOptional(lock)).toEqual([]);
  expect(lock.packages["node_modules/@swc/core-darwin-arm64"]).toBeDefined();
  expect(lock.packages["node_modules/@swc/core-linux-x64-gnu"]).toBeDefined();
});

test("a lock without a platform package is caught", () => {
  const lock = read("package-lock.json") as Lock;
  delete lock.packages["node_modules/@swc/core-darwin-arm64"];
  expect(missingOptional(lock)).toEqual(["node_modules/@swc/core -> @swc/core-darwin-arm64"]);
});
