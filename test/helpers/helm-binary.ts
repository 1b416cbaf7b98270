/**
 * The real helm v3 binary for tests: found and run by `simulation/helm.ts`
 * (shared with `npm run simulate`), plus test-only conveniences.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { findHelm as findHelmIn, runHelm } from "../../simulation/helm";
import { PROJECT_ROOT } from "./synth";

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

export function announceHelmSkip(reason: string): void {
  const line = "=".repeat(78);
  process.stderr.write(`\n${line}\nSKIP helm checks: ${reason}\n${line}\n\n`);
}
