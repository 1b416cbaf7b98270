/**
 * The value each write-only secret hands the chart is the secret itself, in
 * both modes (ephemeral variables, Secrets Manager): terraform evaluates
 * every `set_wo` expression of every environment with the secret's source
 * replaced by a plain variable, and the real helm parses the result the way
 * the helm provider does (`--set-string`) back to the secret, a comma and a
 * backslash included.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { environmentNames, synthExample } from "../helpers/synth";
import { TerraformWorkdir, announceSkip, findToolchain } from "../helpers/terraform";
import { announceHelmSkip, findHelm, runHelm, writeValuesProbeChart } from "../helpers/helm-binary";

const toolchain = findToolchain();
const helm = findHelm();

interface SecretValue {
  readonly environment: string;
  readonly valuesPath: string;
  /** The set_wo expression with its secret source replaced by `var.<variable>`. */
  readonly expression: string;
  readonly variable: string;
  readonly secret: string;
}

/** Every set_wo entry of every environment's product release, with a distinct secret for each. */
function secretValues(): SecretValue[] {
  const values: SecretValue[] = [];
  for (const environment of environmentNames()) {
    const release = synthExample(environment).helm.resource?.helm_release?.layer_release;
    for (const [index, entry] of ((release?.set_wo ?? []) as Array<{ name: string; value: string }>).entries()) {
      const variable = `${environment.replace(/\W/g, "_")}_${index}`;
      const sources = new Set<string>();
      const expression = entry.value.replace(/\b(ephemeral\.aws_secretsmanager_secret_version\.\w+\.secret_string|var\.\w+)\b/g, (source) => {
        sources.add(source);
        return `var.${variable}`;
      });
      // Exactly one secret source per value, and it is a reference terraform evaluates.
      expect({ valuesPath: entry.name, sources: sources.size }).toEqual({ valuesPath: entry.name, sources: 1 });
      values.push({ environment, valuesPath: entry.name, expression, variable, secret: `tpuf_CANARY_${variable},with\\backslash` });
    }
  }
  return values;
}

/** The value at a helm values path (`a.b[0].c`) of a parsed values document. */
function at(values: any, valuesPath: string): unknown {
  return valuesPath
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .reduce((node, key) => (node == null ? undefined : node[key]), values);
}

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`helm checks skipped: ${helm.skip}`, () => undefined);
} else {
  test("every write-only value reaches the chart as the secret itself, in both secret modes", () => {
    const values = secretValues();
    // Both modes are among the environments: ephemeral variables (dev) and Secrets Manager (prod).
    expect(values.some((v) => v.environment === "dev")).toBe(true);
    expect(values.some((v) => v.environment === "prod")).toBe(true);

    const workdir = new TerraformWorkdir(toolchain, {
      "main.tf.json": {
        variable: Object.fromEntries(values.map((v) => [v.variable, { type: "string", default: v.secret }])),
        output: Object.fromEntries(values.map((v) => [v.variable, { value: v.expression }])),
      },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-secret-values-"));
    try {
      for (const args of [
        ["init", "-input=false", "-backend=false"],
        ["apply", "-input=false", "-lock=false", "-auto-approve"],
      ]) {
        const run = workdir.run(...args);
        if (run.status !== 0) throw new Error(`terraform ${args[0]} failed:\n${run.output}`);
      }
      const shown = workdir.run("output", "-json");
      expect(shown.status).toBe(0);
      const outputs: Record<string, { value: string }> = JSON.parse(shown.output.replace(/\s*$/, ""));

      const chart = writeValuesProbeChart(dir);
      for (const environment of new Set(values.map((v) => v.environment))) {
        const mine = values.filter((v) => v.environment === environment);
        const rendered = runHelm(helm, ["template", "probe", chart, ...mine.flatMap((v) => ["--set-string", `${v.valuesPath}=${outputs[v.variable].value}`])]);
        expect(rendered.stderr).toBe("");
        const received = parse(rendered.stdout.replace(/^---\n# Source: .*\n/m, ""));
        expect(mine.map((v) => [v.valuesPath, at(received, v.valuesPath)])).toEqual(mine.map((v) => [v.valuesPath, v.secret]));
      }
    } finally {
      workdir.remove();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
