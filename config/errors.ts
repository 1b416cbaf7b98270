/**
 * Errors for bad environment and values files. Every problem names the file,
 * the field path, what was found and what is expected, so the fix is obvious
 * without reading the schema.
 */
import type { z } from "zod";

export interface ConfigProblem {
  /** Dotted path inside the file, e.g. `network.vpcCidr`; empty for the whole file. */
  readonly path: string;
  /** The offending value, rendered for humans. */
  readonly found: string;
  /** What would have been accepted. */
  readonly expected: string;
}

/** Problems printed per file; a runaway file (thousands of unknown keys) would bury the first, real one. */
export const MAX_PRINTED_PROBLEMS = 20;

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const shown = problems.slice(0, MAX_PRINTED_PROBLEMS).map((p) => formatProblem(file, p));
    const hidden = problems.length - shown.length;
    super([...shown, ...(hidden > 0 ? [`${file}: ... and ${hidden} more problems like these`] : [])].join("\n"));
    this.name = "ConfigError";
  }
}

/** Problems in several files, reported together. */
export class ConfigErrors extends ConfigError {
  constructor(readonly errors: readonly ConfigError[]) {
    super(
      errors.map((e) => e.file).join(", "),
      errors.flatMap((e) => e.problems),
    );
    this.message = errors.map((e) => e.message).join("\n");
  }
}

export function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.path === "" ? file : `${file}: ${p.path}`;
  return `${where}: found ${p.found}; expected ${p.expected}`;
}

/** A "found" already worded for people, which describeValue passes through unquoted. */
export class FoundText {
  constructor(readonly text: string) {}
}

export function describeValue(value: unknown): string {
  if (value instanceof FoundText) return value.text;
  if (value === undefined) return "nothing (the field is missing)";
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function pathToString(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i === 0 ? "" : "."}${String(k)}`)).join("");
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key as string];
  }
  return current;
}

/**
 * Turns zod issues into problems that quote the raw input. `sourceAt` gives
 * the text a scalar had in the file, so a number YAML read from `1.30` is
 * reported as written, with the fix (quotes).
 */
export function problemsFromZod(
  raw: unknown,
  error: z.ZodError,
  knownKeysAt: (path: readonly PropertyKey[]) => string[],
  sourceAt: (path: readonly PropertyKey[]) => string | undefined = () => undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(issue.path);
      for (const key of issue.keys) {
        const suggestion = closest(key, known);
        problems.push({
          path: pathToString([...issue.path, key]),
          found: `an unknown key "${key}"`,
          expected: suggestion
            ? `"${suggestion}" (did you mean it?); allowed keys here: ${known.join(", ")}`
            : `one of the allowed keys here: ${known.join(", ")}`,
        });
      }
      continue;
    }
    const value = valueAt(raw, issue.path);
    if (issue.code === "invalid_type" && issue.expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
      const written = sourceAt(issue.path) ?? String(value);
      // zod's own wording ("Invalid input: expected string, received number") gives way to the fix; a schema's own message is kept.
      const defaultWording = /^Invalid input: expected string/.test(issue.message);
      problems.push({
        path: pathToString(issue.path),
        found: `${written} without quotes, which YAML reads as the ${typeof value} ${JSON.stringify(value)}`,
        expected: defaultWording ? `a string: put the value in quotes, "${written}"` : issue.message.replace(/^expected /, ""),
      });
      continue;
    }
    const found = describeValue(value);
    let expected = issue.message.replace(/^Invalid (input|option): /, "").replace(/^expected /, "");
    if (issue.code === "invalid_union") {
      expected = "one of the documented shapes for this field (see environments/schema.json)";
    }
    problems.push({ path: pathToString(issue.path), found, expected });
  }
  return problems;
}

/** The candidate closest in spelling to `word`, when it is close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  // Further than this is a different word, not a typo.
  let bound = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  for (const candidate of candidates) {
    // A length difference alone is that many edits: most candidates are never compared (a file of thousands of unknown keys).
    if (Math.abs(candidate.length - word.length) > bound) continue;
    const d = editDistance(typed, candidate.toLowerCase(), bound);
    if (d <= bound) {
      best = candidate;
      // Ties keep the first candidate: only a strictly closer one replaces it.
      bound = d - 1;
      if (bound < 0) break;
    }
  }
  return best;
}

/** Levenshtein distance, or `max + 1` as soon as it must exceed `max`. */
function editDistance(a: string, b: string, max: number): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    let rowMin = row[0];
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
      rowMin = Math.min(rowMin, row[j]);
    }
    if (rowMin > max) return max + 1;
  }
  return row[b.length];
}
