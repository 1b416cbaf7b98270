/**
 * "Did you mean" suggestions: the bounded search gives exactly what a plain
 * Levenshtein comparison against every candidate gives, and stays fast on a
 * file of thousands of unknown keys.
 */
import { closest } from "../../config/errors";
import { knownKeysAt } from "../../config/schema-keys";
import { EnvironmentFileSchema } from "../../config/schema";

/** The definition: the nearest candidate (the first on a tie) when within max(2, length / 3) edits. */
function reference(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const saved = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = saved;
      }
    }
    return row[b.length];
  };
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Deterministic words near and far from the candidates: typos, case changes, unrelated strings. */
function words(candidates: readonly string[], count: number): string[] {
  let seed = 42;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const letters = "abcdefghijklmnopqrstuvwxyzABC0";
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const chars = [...candidates[next(candidates.length)]];
    for (let edits = next(6); edits > 0; edits--) {
      const at = next(chars.length + 1);
      const op = next(3);
      if (op === 0) chars.splice(at, 0, letters[next(letters.length)]);
      else if (op === 1) chars.splice(at, 1);
      else chars[at] = letters[next(letters.length)];
    }
    out.push(chars.join("") || "x");
  }
  return out;
}

const SECTIONS: readonly (readonly string[])[] = [[], ["cluster"], ["network"], ["karpenter"], ["release"]].map((p) => knownKeysAt(EnvironmentFileSchema, p));

test("the bounded search suggests exactly what comparing every candidate suggests", () => {
  for (const candidates of SECTIONS) {
    expect(candidates.length).toBeGreaterThan(3);
    for (const word of words(candidates, 60))
      expect({ word, suggestion: closest(word, candidates) }).toEqual({ word, suggestion: reference(word, candidates) });
  }
});

test("typos get the intended key; a different word gets none", () => {
  const top = knownKeysAt(EnvironmentFileSchema, []);
  expect(closest("acountId", top)).toBe("accountId");
  expect(closest("Region", top)).toBe("region");
  expect(closest("availabilityZone", top)).toBe("availabilityZones");
  expect(closest("unknown1234", top)).toBeUndefined();
});

test("on a tie the first candidate wins", () => {
  expect(closest("cat", ["bat", "hat", "cart"])).toBe("bat");
});
