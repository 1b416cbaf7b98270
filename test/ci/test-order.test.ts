/** The test order (test/helpers/sequencer.js): toolchain tiers first when there are no timings, jest's order otherwise. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const Sequencer = require("../helpers/sequencer.js");

function fakeTests(cacheDirectory: string, files: Record<string, number>) {
  const context = { config: { cacheDirectory, id: "order", cache: true, haste: {} }, hasteFS: { getSize: (p: string) => files[p] } };
  return Object.keys(files).map((p) => ({ path: p, context, duration: undefined as number | undefined }));
}

const FILES = {
  "/p/test/config/big.test.ts": 9000,
  "/p/test/terraform/aws-stacks.test.ts": 3000,
  "/p/test/audit/rules.test.ts": 5000,
  "/p/test/scripts/check.test.ts": 2000,
};

test("with no timings, the terraform and scripts tiers start first, then by file size", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-sequencer-"));
  try {
    const order = new Sequencer().sort(fakeTests(dir, FILES)).map((t: any) => t.path);
    expect(order).toEqual([
      "/p/test/terraform/aws-stacks.test.ts",
      "/p/test/scripts/check.test.ts",
      "/p/test/config/big.test.ts",
      "/p/test/audit/rules.test.ts",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("with timings of a previous run, the slowest start first whatever their tier", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-sequencer-"));
  try {
    const sequencer = new Sequencer();
    const tests = fakeTests(dir, FILES);
    const seconds: Record<string, number> = {
      "/p/test/config/big.test.ts": 40,
      "/p/test/terraform/aws-stacks.test.ts": 20,
      "/p/test/audit/rules.test.ts": 1,
      "/p/test/scripts/check.test.ts": 5,
    };
    sequencer.cacheResults(tests, {
      testResults: tests.map((t) => ({
        testFilePath: t.path,
        perfStats: { start: 0, end: seconds[t.path] * 1000, runtime: seconds[t.path] * 1000 },
        numFailingTests: 0,
      })),
    });
    const order = new Sequencer().sort(fakeTests(dir, FILES)).map((t: any) => t.path);
    expect(order).toEqual([
      "/p/test/config/big.test.ts",
      "/p/test/terraform/aws-stacks.test.ts",
      "/p/test/scripts/check.test.ts",
      "/p/test/audit/rules.test.ts",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
