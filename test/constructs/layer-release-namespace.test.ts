/**
 * The chart renders its own Namespace, so the namespace this project creates
 * first must be one helm adopts. Proved with the real helm binary's install
 * path (`helm install --dry-run=server`, which runs helm's check of existing
 * objects) against a minimal Kubernetes API that holds the namespace exactly
 * as the Helm stack creates it.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthExample } from "../helpers/synth";
import { block, layerRelease } from "../helpers/terraform-json";
import { announceHelmSkip, findHelm } from "../helpers/helm-binary";
import { describeWithReference } from "../helpers/reference";
import { startFakeKubeApi } from "../helpers/fake-kube-api";

const helm = findHelm();

function helmInstall(
  helmPath: string,
  kubeconfig: string,
  chart: string,
  namespace: string,
  valuesYaml: string,
  setWo: Array<{ name: string }>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-adopt-"));
  fs.writeFileSync(path.join(dir, "values.yaml"), valuesYaml);
  const sets = setWo.flatMap((s) => ["--set-string", `${s.name}=placeholder`]);
  const args = [
    "install",
    "layer",
    chart,
    "--namespace",
    namespace,
    "--dry-run=server",
    "--disable-openapi-validation",
    "-f",
    path.join(dir, "values.yaml"),
    ...sets,
  ];
  const env = {
    ...process.env,
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: path.join(dir, "cache"),
    HELM_CONFIG_HOME: path.join(dir, "config"),
    HELM_DATA_HOME: path.join(dir, "data"),
  };
  return new Promise((resolve) => {
    const child = spawn(helmPath, args, { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ status: status ?? 1, stdout, stderr });
    });
  });
}

if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`helm adoption checks skipped: ${helm.skip}`, () => undefined);
} else {
  describeWithReference("helm adopts the namespace the Helm stack creates first", "charts/hev-layer-0.1.0/Chart.yaml", (chartFile) => {
    const chart = path.dirname(chartFile);
    const { helm: stack } = synthExample("dev");
    const release = layerRelease(stack);
    const namespace = block<any>(stack.resource!.kubernetes_namespace_v1.layer_release_namespace.metadata)!;

    test("with the metadata the Helm stack gives it, helm's install goes ahead", async () => {
      const api = await startFakeKubeApi(namespace);
      try {
        const run = await helmInstall(helm, api.kubeconfig, chart, release.namespace, release.values[0], release.set_wo);
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        expect(run.stdout).toContain("STATUS: pending-install");
        // Helm looked the namespace up: the check ran against it.
        expect(api.requests).toContain(`GET /api/v1/namespaces/${release.namespace}`);
      } finally {
        await api.close();
      }
    });

    test("without it (a namespace created by hand, or by create_namespace), helm refuses: the first apply would fail", async () => {
      const api = await startFakeKubeApi({ name: namespace.name });
      try {
        const run = await helmInstall(helm, api.kubeconfig, chart, release.namespace, release.values[0], release.set_wo);
        expect(run.status).not.toBe(0);
        expect(run.stderr).toContain(
          `Namespace "${release.namespace}" in namespace "" exists and cannot be imported into the current release: invalid ownership metadata`,
        );
      } finally {
        await api.close();
      }
    });

    test("a namespace claimed by another release is refused as well", async () => {
      const api = await startFakeKubeApi({ ...namespace, annotations: { ...namespace.annotations, "meta.helm.sh/release-name": "other" } });
      try {
        const run = await helmInstall(helm, api.kubeconfig, chart, release.namespace, release.values[0], release.set_wo);
        expect(run.stderr).toMatch(/annotation validation error: key "meta.helm.sh\/release-name" must equal "layer": current value is "other"/);
      } finally {
        await api.close();
      }
    });
  });
}
