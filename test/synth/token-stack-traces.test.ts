/**
 * The test realm formats token stack traces without source maps
 * (test/helpers/token-stack-traces.ts) and keeps jest's mapped traces for
 * errors, so a failing test still points at the TypeScript line.
 */
import * as fs from "node:fs";
import { captureStackTrace } from "cdktf/lib/tokens/private/stack-trace";
import { tokenStackTraces, unmappedStackTrace } from "../helpers/token-stack-traces";

/** Lines swc removes, so a compiled line number differs from the TypeScript one below. */
interface Shape {
  readonly a: string;
  readonly b: number;
  readonly c: boolean;
}
type Other = Shape & { readonly d: string };
export type { Other };

const frames = (): NodeJS.CallSite[] => {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_target, callSites) => callSites;
  try {
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder);
    return holder.stack as NodeJS.CallSite[];
  } finally {
    Error.prepareStackTrace = prepare;
  }
};

test("an error's stack names this file at its TypeScript line (jest's source maps still apply)", () => {
  const error = new Error("where"); // the marker line
  const line =
    fs
      .readFileSync(__filename, "utf8")
      .split("\n")
      .findIndex((l) => l.includes("// the marker line")) + 1;
  expect(error.stack?.split("\n")[1]).toContain(`token-stack-traces.test.ts:${line}:`);
});

test("a token's creation stack is captured with its frames, unmapped", () => {
  const stack = captureStackTrace(); // the token line
  const line =
    fs
      .readFileSync(__filename, "utf8")
      .split("\n")
      .findIndex((l) => l.includes("// the token line")) + 1;
  expect(stack.length).toBeGreaterThan(3);
  // The compiled line, not the TypeScript one: no source map was read.
  expect(stack[0]).toMatch(/token-stack-traces\.test\.ts:\d+:\d+\)$/);
  expect(stack[0]).not.toContain(`token-stack-traces.test.ts:${line}:`);
});

test("errors go to the mapped formatter; plain-object captures never do", () => {
  const calls: object[] = [];
  const prepare = tokenStackTraces(() => (target) => (calls.push(target), "mapped"));
  const error = new TypeError("boom");
  expect(prepare(error, frames())).toBe("mapped");
  expect(prepare({ stack: "" }, frames())).toMatch(/^Error\n {4}at /);
  expect(calls).toEqual([error]);
});

test("without a mapped formatter, errors are formatted as V8 does by default", () => {
  const callSites = frames();
  expect(tokenStackTraces(() => undefined)(new RangeError("late"), callSites)).toBe(unmappedStackTrace(new RangeError("late"), callSites));
  expect(unmappedStackTrace(new RangeError("late"), callSites).split("\n")[0]).toBe("RangeError: late");
});
