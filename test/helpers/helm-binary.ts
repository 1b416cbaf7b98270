/**
 * The real helm v3 binary for tests: found and run by `simulation/helm.ts`
 * (shared with `npm run simulate`), plus test-only conveniences.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { findHelm as findHelmIn, runHelm } from "../../simulation/helm";
import { PROJECT_ROOT } from "./synth";
import { skipTier } from "./tiers";

export { runHelm };

/** Path to helm, or the reason it is unavailable (the caller skips loudly). */
export function findHelm(): string | { skip: string } {
  return findHelmIn(PROJECT_ROOT);
}

/** A chart whose only template prints the merged values, to see what the product chart would receive. */
export function writeValuesProbeChart(dir: string): string {
  const chart = path.join(dir, "probe");
  fs.mkdirSync(path.join(chart, "templates"), { recursive: true });
  fs.writeFileSync(path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
  fs.writeFileSync(path.join(chart, "templates/values.yaml"), "{{ toYaml .Values }}\n");
  return chart;
}

/** Prints a loud SKIP (a failure under LAYER_REQUIRE_ALL_TIERS=1). */
export function announceHelmSkip(reason: string): void {
  skipTier("helm checks", reason);
}
