/**
 * Validates Kubernetes objects against a CRD's openAPIV3Schema the way the
 * API server would reject them: the structural schema with unknown fields
 * refused (additionalProperties: false wherever the CRD lists properties and
 * does not preserve unknown fields), then every CEL rule in
 * `x-kubernetes-validations` that applies to a field present in the object.
 */
import * as fs from "node:fs";
import Ajv from "ajv";
import { parse } from "yaml";
import { evaluateRule, isTransitionRule } from "./cel-subset";

export interface CrdValidator {
  readonly kind: string;
  readonly apiVersion: string;
  /** Problems found, empty when the object is valid. */
  validate(object: unknown): string[];
}

function strictify(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strictify);
  if (!schema || typeof schema !== "object") return schema;
  const out: any = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "x-kubernetes-validations" ? v : strictify(v)]));
  if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
  return out;
}

function celProblems(schema: any, value: unknown, path: string, out: string[]): void {
  if (!schema || value === undefined) return;
  for (const { rule, message } of schema["x-kubernetes-validations"] ?? []) {
    if (isTransitionRule(rule)) continue;
    let ok: boolean;
    try {
      ok = evaluateRule(rule, value);
    } catch (e) {
      out.push(`${path || "/"}: cannot evaluate rule ${rule}: ${(e as Error).message}`);
      continue;
    }
    if (!ok) out.push(`${path || "/"}: ${message ?? "failed"} (rule: ${rule})`);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => celProblems(schema.items, item, `${path}[${i}]`, out));
  } else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema.properties?.[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
      celProblems(childSchema, child, `${path}.${key}`, out);
    }
  }
}

export function loadCrdValidator(file: string, version = "v1"): CrdValidator {
  const crd = parse(fs.readFileSync(file, "utf8"));
  const served = crd.spec.versions.find((v: any) => v.name === version);
  if (!served) throw new Error(`${file} has no version ${version}`);
  const schema = served.schema.openAPIV3Schema;
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { int32: true, int64: true, "date-time": true } });
  const check = ajv.compile(strictify(schema));
  const apiVersion = `${crd.spec.group}/${version}`;
  return {
    kind: crd.spec.names.kind,
    apiVersion,
    validate(object: unknown): string[] {
      const problems: string[] = [];
      if (!check(object)) {
        for (const e of check.errors ?? []) {
          const extra = e.keyword === "additionalProperties" ? ` "${(e.params as any).additionalProperty}"` : "";
          problems.push(`${e.instancePath || "/"}: ${e.message}${extra}`);
        }
      }
      celProblems(schema, object, "", problems);
      return problems;
    },
  };
}
