/**
 * The simulation reports each cluster add-on of addons/catalog.ts: its
 * releases, how they rendered and where their pods land; a pod the catalog
 * places on the system nodes that could land elsewhere fails.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { referenceDir } from "../../simulation/charts";
import type { SynthesizedEnvironment } from "../../simulation/model";
import { Simulation, simulate } from "../../simulation/simulate";
import { announceHelmSkip, findHelm } from "../helpers/helm-binary";
import { PROJECT_ROOT, synthExample } from "../helpers/synth";

const helm = findHelm();
const charts = path.join(referenceDir(PROJECT_ROOT), "charts");
const skip = typeof helm !== "string" ? helm.skip : fs.existsSync(charts) ? undefined : `no reference charts at ${charts} (set LAYER_REFERENCE_DIR)`;
if (skip) announceHelmSkip(skip);
const describeHelm = skip ? describe.skip : describe;

/** dev's synthesized stacks, with `edit` applied to a copy of its Helm stack. */
function devStacks(edit: (helm: any) => void = () => undefined): SynthesizedEnvironment {
  const synthesized = synthExample("dev");
  const helmStack = JSON.parse(JSON.stringify(synthesized.helm));
  edit(helmStack);
  return { name: "dev", stacks: { "layer-dev-aws": synthesized.aws!, "layer-dev-helm": helmStack }, stacksDir: path.join(PROJECT_ROOT, "cdktf.out", "stacks") };
}

const run = (env: SynthesizedEnvironment): Promise<Simulation> => simulate(env, { helm: helm as string, referenceDir: referenceDir(PROJECT_ROOT) });

describeHelm("cluster add-ons in the install simulation", () => {
  test("dev: one report per add-on with releases, each system-nodes pod only on the system node group", async () => {
    const s = await run(devStacks());
    expect(s.addons.map((a) => a.addon)).toEqual(["load-balancer-controller", "karpenter", "worker-pools", "keda"]);
    const karpenter = s.addons.find((a) => a.addon === "karpenter")!;
    expect(karpenter.releases.map((r) => [r.address, r.chart, r.status])).toEqual([
      ["helm_release.karpenter_crd", "karpenter-crd 1.14.1", "rendered"],
      ["helm_release.karpenter", "karpenter 1.14.1", "rendered"],
    ]);
    expect(karpenter.workloads).toEqual([{ workload: "Deployment kube-system/karpenter", pods: "1", landsOn: ["node group system"] }]);
    const checks = s.findings.filter((f) => f.check === "addons");
    expect(checks.length).toBeGreaterThanOrEqual(5);
    expect(checks.filter((f) => f.status !== "pass")).toEqual([]);
    // The device plugin runs on the GPU pool only; its MPS daemon selects MPS-enabled nodes, which no pool makes.
    expect(s.addons.find((a) => a.addon === "worker-pools")!.workloads.map((w) => [w.workload, w.landsOn])).toEqual([
      ["DaemonSet nvidia-device-plugin/nvidia-device-plugin", ["NodePool worker-gpu"]],
      ["DaemonSet nvidia-device-plugin/nvidia-device-plugin-mps-control-daemon", []],
    ]);
  });

  test("a KEDA that tolerates every taint and selects no node fails: its pods could land on the worker pools", async () => {
    const s = await run(
      devStacks((helmStack) => {
        const keda = helmStack.resource.helm_release.keda;
        const values = parse(keda.values[0]);
        keda.values = [stringify({ ...values, nodeSelector: {}, tolerations: [{ operator: "Exists" }] })];
      }),
    );
    const failed = s.findings.filter((f) => f.check === "addons" && f.status === "fail");
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed)
      expect(f.message).toMatch(/^keda: the catalog places it on layer\.hev\.dev\/node-role=system nodes, but it can also land on .*NodePool worker-cpu/);
  });
});
