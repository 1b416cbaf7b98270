/**
 * cdktf and constructs record a stack trace, with no depth limit, for every
 * token they create (608 in one prod synth), only to quote it in their own
 * error messages. Under jest each frame of each trace goes through source maps,
 * which more than doubled the time of a synth in a test. Traces captured on
 * plain objects (how both libraries record them) are formatted without source
 * maps; errors keep jest's mapped stack traces.
 */
import { types } from "node:util";

type PrepareStackTrace = (target: object, frames: NodeJS.CallSite[]) => string;

/** Formats the trace as V8 does by default, without looking up any source map. */
export function unmappedStackTrace(target: object, frames: NodeJS.CallSite[]): string {
  return `${types.isNativeError(target) ? String(target) : "Error"}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
}

/** The formatter for the test realm: errors go to `mapped()` (jest's), plain-object captures stay unmapped. */
export function tokenStackTraces(mapped: () => PrepareStackTrace | undefined): PrepareStackTrace {
  return (target, frames) => {
    const forErrors = mapped();
    return (types.isNativeError(target) || target instanceof Error) && typeof forErrors === "function"
      ? forErrors(target, frames)
      : unmappedStackTrace(target, frames);
  };
}

// Node asks the test realm's Error.prepareStackTrace first and the worker realm's (where jest installs
// its source-map formatter after the setup files run) otherwise. Buffer comes from the worker realm,
// so its Function constructor reaches that realm's Error.
const workerError = (Buffer.constructor as FunctionConstructor)("return Error")() as ErrorConstructor;
if (workerError !== Error) Error.prepareStackTrace = tokenStackTraces(() => workerError.prepareStackTrace as PrepareStackTrace | undefined);
