/** The review lists each cluster add-on the stacks install, from addons/catalog.ts, with its charts and pinned versions. */
import { buildReview, renderMarkdown } from "../../review/report";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";

const reviewOf = (name: string, synthesized: ReturnType<typeof synthExample>) =>
  buildReview({
    name,
    current: { name, stacks: { ...(synthesized.aws ? { [`layer-${name}-aws`]: synthesized.aws } : {}), [`layer-${name}-helm`]: synthesized.helm } },
  });

test("dev: one entry per add-on with releases, in install order, with chart versions and the switch", () => {
  const addons = reviewOf("dev", synthExample("dev")).inventory.settings.addons;
  expect(addons.map((a) => [a.addon, a.switch, a.releases.map((r) => `${r.release}@${r.version ?? "local"}`)])).toEqual([
    ["load-balancer-controller", "loadBalancerController.enabled", ["aws-load-balancer-controller@3.5.0"]],
    ["karpenter", "karpenter.enabled", ["karpenter-crd@1.14.1", "karpenter@1.14.1"]],
    ["worker-pools", "karpenter.enabled", ["worker-pools@local", "nvidia-device-plugin@0.17.4"]],
    ["keda", "keda.enabled", ["keda@2.20.2"]],
  ]);
});

test("the Markdown's key settings show each add-on on one line, and the product chart on its own", () => {
  const md = renderMarkdown(reviewOf("dev", synthExample("dev")));
  expect(md).toContain("| add-on `karpenter` | `karpenter-crd` `1.14.1`, `karpenter` `1.14.1` in `kube-system` (`karpenter.enabled`) |");
  expect(md).toContain(
    "| add-on `worker-pools` | `../../../charts/worker-pools` (local chart), `nvidia-device-plugin` `0.17.4` in `kube-system`, `nvidia-device-plugin` (`karpenter.enabled`) |",
  );
  // The add-ons' charts are not listed twice; the product chart keeps its row.
  expect(md).not.toMatch(/\| chart `karpenter` \|/);
  expect(md).toMatch(/\| chart `layer` \|/);
  expect(md).toMatch(/addon_karpenter\["karpenter: karpenter-crd 1\.14\.1, karpenter 1\.14\.1"\]/);
});

test("an add-on switched off leaves the review; existing-cluster mode lists none", () => {
  const noKeda = environmentFromYaml(`${MINIMAL_ENVIRONMENT}keda:\n  enabled: false\n`, "dev");
  expect(reviewOf("dev", synthEnvironment(noKeda)).inventory.settings.addons.map((a) => a.addon)).toEqual([
    "load-balancer-controller",
    "karpenter",
    "worker-pools",
  ]);
  expect(reviewOf("existing", synthExample("existing")).inventory.settings.addons).toEqual([]);
});
