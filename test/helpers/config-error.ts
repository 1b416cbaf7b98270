import { ConfigError } from "../../config/errors";

/** The ConfigError `fn` throws; any other outcome fails the test. */
export function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}
