/**
 * Every values key a release sets exists in its chart: in `values.yaml`, or
 * below a key whose default is an empty map or null (free-form: labels,
 * annotations, nodeSelector), or read by a template as `.Values.<path>`.
 * Where the chart has `values.schema.json`, helm itself validates the merged
 * values while rendering, so a violation is a render failure.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { SimulationContext } from "../context";
import { Finding, isRecord } from "../model";
import type { RenderedRelease } from "../render";

/** Leaf paths of a values tree; lists are leaves (their items are the chart's business). */
export function leafPaths(values: unknown, prefix: string[] = []): string[][] {
  if (!isRecord(values) || Object.keys(values).length === 0) return prefix.length ? [prefix] : [];
  return Object.entries(values).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/** `a.b\.c[0].d` → [a, b.c]: the path up to the first list index. */
export function setNamePath(name: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === "\\" && i + 1 < name.length) current += name[++i];
    else if (ch === ".") {
      parts.push(current);
      current = "";
    } else if (ch === "[") {
      parts.push(current);
      return parts;
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

interface ChartFacts {
  readonly defaults: Record<string, unknown>;
  readonly templates: string;
  readonly subcharts: ReadonlySet<string>;
  readonly schema?: object;
}

const factsCache = new Map<string, ChartFacts>();

function readTemplates(dir: string): string {
  if (!fs.existsSync(dir)) return "";
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? readTemplates(p) : /\.(ya?ml|tpl|txt|json)$/.test(e.name) ? fs.readFileSync(p, "utf8") : "";
    })
    .join("\n");
}

export function chartFacts(chartDir: string): ChartFacts {
  const cached = factsCache.get(chartDir);
  if (cached) return cached;
  const valuesFile = path.join(chartDir, "values.yaml");
  const defaults = fs.existsSync(valuesFile) ? ((parse(fs.readFileSync(valuesFile, "utf8")) as Record<string, unknown>) ?? {}) : {};
  const chartYaml = (parse(fs.readFileSync(path.join(chartDir, "Chart.yaml"), "utf8")) ?? {}) as { dependencies?: { name?: string; alias?: string }[] };
  const subcharts = new Set<string>([...(chartYaml.dependencies ?? []).map((d) => d.alias ?? d.name ?? ""), "global"]);
  const schemaFile = path.join(chartDir, "values.schema.json");
  const facts: ChartFacts = {
    defaults: isRecord(defaults) ? defaults : {},
    templates: readTemplates(path.join(chartDir, "templates")),
    subcharts,
    schema: fs.existsSync(schemaFile) ? (JSON.parse(fs.readFileSync(schemaFile, "utf8")) as object) : undefined,
  };
  factsCache.set(chartDir, facts);
  return facts;
}

type KeyVerdict = { known: true; how?: string } | { known: false; missing: string };

/** Maps whose keys are the user's to choose: Kubernetes label/annotation/selector maps and the like. */
const FREE_FORM = new Set([
  "resources",
  "affinity",
  "securityContext",
  "podSecurityContext",
  "containerSecurityContext",
  "nodeSelector",
  "annotations",
  "labels",
  "podAnnotations",
  "podLabels",
  "additionalLabels",
  "extraLabels",
  "commonLabels",
  "tags",
  "additionalTags",
  "env",
  "extraEnv",
  "extraArgs",
  "data",
  "stringData",
  "matchLabels",
]);
/** A map whose existing keys all look like label keys (`kubernetes.io/os`) takes any such key. */
const LABEL_KEY = /[./]/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function keyInChart(facts: ChartFacts, keyPath: readonly string[]): KeyVerdict {
  if (facts.subcharts.has(keyPath[0])) return { known: true, how: `values of subchart ${keyPath[0]}` };
  let current: unknown = facts.defaults;
  for (let i = 0; i < keyPath.length; i++) {
    if (!isRecord(current)) return { known: true };
    const keys = Object.keys(current);
    if (keys.length === 0) return { known: true };
    if (!(keyPath[i] in current)) {
      const parent = keyPath.slice(0, i).join(".");
      if (i > 0 && (FREE_FORM.has(keyPath[i - 1]) || keys.every((k) => LABEL_KEY.test(k)))) return { known: true };
      // `toYaml .Values.<parent>`: the templates pass the whole map through.
      if (i > 0 && new RegExp(`toYaml\\s+\\.Values\\.${escapeRegExp(parent)}\\s*\\}?\\}?\\s*(\\||\\}\\})`).test(facts.templates))
        return { known: true, how: `passed whole to the manifest (toYaml .Values.${parent})` };
      // `range $name, $item := .Values.<parent>`: a map keyed by the user's names.
      if (i > 0 && new RegExp(`range\\s+\\$\\w+\\s*,\\s*\\$\\w+\\s*:=\\s*\\.Values\\.${escapeRegExp(parent)}\\s`).test(facts.templates))
        return { known: true, how: `a map the templates range over (.Values.${parent})` };
      const dotted = keyPath.slice(0, i + 1).join(".");
      const used = new RegExp(`\\.Values\\.${escapeRegExp(dotted)}\\b`).test(facts.templates);
      if (used) return { known: true, how: `not in values.yaml, read by the templates as .Values.${dotted}` };
      return { known: false, missing: dotted };
    }
    current = current[keyPath[i]];
    if (current === null) return { known: true };
  }
  return { known: true };
}

function mergeOver(base: unknown, overlay: unknown): unknown {
  if (!isRecord(base) || !isRecord(overlay)) return overlay === undefined ? base : overlay;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overlay)) out[k] = mergeOver(base[k], v);
  return out;
}

export function effectiveValues(release: RenderedRelease): Record<string, unknown> {
  if (!release.chartDir) return release.values;
  return mergeOver(chartFacts(release.chartDir).defaults, release.values) as Record<string, unknown>;
}

export function valuesCheck(ctx: SimulationContext): Finding[] {
  const findings: Finding[] = [];
  for (const release of ctx.releases) {
    if (!release.chartDir) continue;
    const facts = chartFacts(release.chartDir);
    const where = { address: release.address, chart: release.chart };
    const keys = [...leafPaths(release.values), ...release.setNames.map(setNamePath)];
    const unknown = new Set<string>();
    const notes: string[] = [];
    for (const key of keys) {
      const verdict = keyInChart(facts, key);
      if (!verdict.known) unknown.add(verdict.missing);
      else if (verdict.how) notes.push(`${key.join(".")}: ${verdict.how}`);
    }
    for (const missing of [...unknown].sort()) {
      findings.push({
        check: "values",
        status: "fail",
        subject: `${release.address} value ${missing}`,
        ...where,
        message: `${missing} is not a key of ${release.chart}'s values.yaml and no template reads it: helm ignores it silently`,
      });
    }
    if (unknown.size === 0)
      findings.push({
        check: "values",
        status: "pass",
        subject: release.address,
        ...where,
        message: `${keys.length} key(s) set, all known to the chart${notes.length ? ` (${notes.join("; ")})` : ""}`,
      });
    if (facts.schema && !release.error)
      findings.push({
        check: "values",
        status: "pass",
        subject: `${release.address} values.schema.json`,
        ...where,
        message: "helm validated the merged values against the chart's values.schema.json while rendering",
      });
  }
  return findings;
}
