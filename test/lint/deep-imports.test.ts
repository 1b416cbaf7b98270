/**
 * Provider classes are imported from their own module: importing a
 * @cdktf/provider-* package root loads thousands of modules (~4 s, 1 GB).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../helpers/synth";

const SOURCE_DIRS = ["main.ts", "config", "tfjson", "stacks", "constructs", "addons", "scripts", "test", "audit", "review", "simulation"];
const ROOT_IMPORT = /(from\s+|require\(\s*|import\(\s*)["']@cdktf\/provider-[a-z0-9-]+["']/;

function sourceFiles(entry: string): string[] {
  const full = path.join(PROJECT_ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return full.endsWith(".ts") ? [full] : [];
  return fs.readdirSync(full).flatMap((child) => sourceFiles(path.join(entry, child)));
}

test("no source file imports a @cdktf/provider-* package from its root", () => {
  const offenders = SOURCE_DIRS.flatMap(sourceFiles).filter((file) => ROOT_IMPORT.test(fs.readFileSync(file, "utf8")));
  expect(offenders.map((f) => path.relative(PROJECT_ROOT, f))).toEqual([]);
});

test("the rule recognizes a root import", () => {
  const pkg = (name: string) => `"@cdktf/provider-${name}"`; // built here so this file does not trip the rule
  expect(ROOT_IMPORT.test(`import { s3Bucket } from ${pkg("aws")};`)).toBe(true);
  expect(ROOT_IMPORT.test(`const aws = require(${pkg("helm")})`)).toBe(true);
  expect(ROOT_IMPORT.test(`import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";`)).toBe(false);
});
