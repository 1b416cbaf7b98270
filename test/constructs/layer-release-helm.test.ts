/**
 * What the chart receives, rendered by the real helm binary: the release's
 * values YAML plus its write-only values applied the way the helm provider
 * applies `set_wo` (parsed into the merged values, like `--set`). A path that
 * replaced a list instead of filling one entry would lose the key's scopes.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { environmentWithValues, MINIMAL_ENVIRONMENT, synthEnvironment } from "../helpers/synth";
import { layerRelease } from "../helpers/terraform-json";
import { announceHelmSkip, findHelm, writeValuesProbeChart } from "../helpers/helm-binary";

const helm = findHelm();

if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`helm checks skipped: ${helm.skip}`, () => undefined);
} else {
  test("write-only values land on their own list entries, keeping every non-secret field", () => {
    const env = environmentWithValues(
      MINIMAL_ENVIRONMENT,
      "vectorStore:\n  inboundAuth:\n    mode: keys\n    keys:\n      - {name: admin, scopes: [read, write, admin]}\n      - {name: reader, scopes: [read], secretRef: {name: r, key: k}}\n      - {name: pipelines, scopes: [write], worker: true}\n",
      "dev",
    );
    const release = layerRelease(synthEnvironment(env).helm);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-helm-probe-"));
    try {
      const chart = writeValuesProbeChart(dir);
      fs.writeFileSync(path.join(dir, "values.yaml"), release.values[0]);
      const sets = release.set_wo.flatMap((s: any) => ["--set-string", `${s.name}=placeholder-for-${s.value.replace(/\W/g, "")}`]);
      const run = spawnSync(helm, ["template", "layer", chart, "-f", path.join(dir, "values.yaml"), ...sets], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      const rendered: any = parse(run.stdout.replace(/^---\n# Source: .*\n/m, ""));
      expect(rendered.vectorStore.credential.apiKey).toBe("placeholder-for-varvector_store_api_key");
      expect(rendered.vectorStore.inboundAuth.keys).toEqual([
        { name: "admin", scopes: ["read", "write", "admin"], worker: false, apiKey: "placeholder-for-varvector_store_inbound_key_admin" },
        { name: "reader", scopes: ["read"], worker: false, secretRef: { name: "r", key: "k" } },
        { name: "pipelines", scopes: ["write"], worker: true, apiKey: "placeholder-for-varvector_store_inbound_key_pipelines" },
      ]);
      expect(rendered.s3.bucket).toBe("layer-dev-data-123456789012-us-east-1");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
