/**
 * Checks that every key we set in a chart's values exists in the chart's own
 * values.yaml, so a typo (`serviceAcount`) fails a test instead of being
 * silently ignored by Helm. Maps that are free-form in the chart (annotations,
 * nodeSelector, affinity...) are not descended.
 */
import * as fs from "node:fs";
import { parse } from "yaml";
import { valueKeyPaths } from "../../constructs/helm-values";

export function unknownValueKeys(values: object, chartValuesFile: string, freeForm: readonly string[]): string[] {
  const defaults = parse(fs.readFileSync(chartValuesFile, "utf8"));
  const known = new Set(valueKeyPaths(defaults, freeForm));
  return valueKeyPaths(values, freeForm).filter((key) => !known.has(key));
}
