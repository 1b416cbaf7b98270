/**
 * The shared Helm add-on base: chart coordinates, pinned version, namespace,
 * dependencies and, for a chart whose pods run on the system nodes, the node
 * selector and the toleration of the system taint, rendered into the release.
 */
import { parse } from "yaml";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { HelmAddonRelease } from "../../addons/helm-addon";
import { addonReleases } from "../../addons/catalog";
import type { AddonChart } from "../../addons/catalog";
import { CRITICAL_ADDONS_TOLERATION, SYSTEM_TAINT } from "../../config/node-roles";
import { exampleEnvironmentNames, synthExample } from "../helpers/synth";
import { synthConstructs } from "../helpers/construct-stack";
import { resourcesOfType } from "../helpers/terraform-json";

const SYSTEM_CHART: AddonChart = {
  releaseName: "probe",
  chart: "probe",
  repository: "https://charts.example.com",
  namespace: "probe",
  createNamespace: true,
  placement: "system-nodes",
};
const SYSTEM_TOLERATION = { key: SYSTEM_TAINT.key, operator: "Equal", value: SYSTEM_TAINT.value, effect: SYSTEM_TAINT.effect };

function synthRelease(build: (scope: any) => void): any {
  return resourcesOfType(
    synthConstructs((scope) => {
      new HelmProvider(scope, "helm", {});
      build(scope);
    }),
    "helm_release",
  );
}

test("a system-nodes chart gets the system node selector and the toleration of the system taint, where its values put them", () => {
  const releases = synthRelease((scope) => {
    const upstream = new HelmAddonRelease(scope, "upstream", { chart: SYSTEM_CHART, version: "1.2.3", values: (placement) => ({ replicas: 1, ...placement }) });
    new HelmAddonRelease(scope, "nested", {
      chart: { ...SYSTEM_CHART, releaseName: "nested" },
      version: "1.2.3",
      systemPlacement: { extraTolerations: [CRITICAL_ADDONS_TOLERATION], extraNodeSelector: { "kubernetes.io/os": "linux" } },
      values: (placement) => ({ controller: { nodeSelector: placement.nodeSelector, tolerations: placement.tolerations } }),
      dependsOn: [upstream],
    });
  });
  expect(releases.upstream).toMatchObject({
    name: "probe",
    chart: "probe",
    repository: "https://charts.example.com",
    version: "1.2.3",
    namespace: "probe",
    create_namespace: true,
  });
  expect(parse(releases.upstream.values[0])).toEqual({ replicas: 1, nodeSelector: { "layer.hev.dev/node-role": "system" }, tolerations: [SYSTEM_TOLERATION] });
  const nested = parse(releases.nested.values[0]).controller;
  expect(nested.nodeSelector).toEqual({ "kubernetes.io/os": "linux", "layer.hev.dev/node-role": "system" });
  // Upstream's own toleration is kept, before the system taint's.
  expect(nested.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }, SYSTEM_TOLERATION]);
  expect(releases.nested.depends_on).toEqual(["helm_release.upstream"]);
});

test("flags are written only when set: wait, skip_crds, create_namespace, repository, version", () => {
  const releases = synthRelease((scope) => {
    new HelmAddonRelease(scope, "local", { chart: { releaseName: "local", chart: "../../../charts/x", namespace: "kube-system", placement: "no-pods" } });
    new HelmAddonRelease(scope, "waits", { chart: SYSTEM_CHART, version: "1.0.0", wait: true, skipCrds: true, values: (p) => ({ ...p }) });
  });
  expect(Object.keys(releases.local).sort()).toEqual(["chart", "name", "namespace"]);
  expect(releases.waits).toMatchObject({ wait: true, skip_crds: true });
});

test("values are written in the builder's order, or with sorted keys", () => {
  const releases = synthRelease((scope) => {
    new HelmAddonRelease(scope, "as_written", { chart: SYSTEM_CHART, version: "1.0.0", values: (p) => ({ zeta: 1, ...p, alpha: 2 }) });
    new HelmAddonRelease(scope, "sorted", { chart: SYSTEM_CHART, version: "1.0.0", valuesLayout: "sorted", values: (p) => ({ zeta: 1, ...p, alpha: 2 }) });
  });
  const topKeys = (text: string) => Object.keys(parse(text));
  expect(topKeys(releases.as_written.values[0])).toEqual(["zeta", "nodeSelector", "tolerations", "alpha"]);
  expect(topKeys(releases.sorted.values[0])).toEqual(["alpha", "nodeSelector", "tolerations", "zeta"]);
});

test("a chart whose pods run on the system nodes cannot be installed without values that place them", () => {
  expect(() => synthRelease((scope) => new HelmAddonRelease(scope, "bare", { chart: SYSTEM_CHART, version: "1.0.0" }))).toThrow(
    "probe: a chart whose pods run on the system nodes needs values that place them there",
  );
});

test.each(exampleEnvironmentNames())("%s: every system-nodes release of an enabled add-on selects and tolerates the system nodes", (name) => {
  const { env, helm } = synthExample(name);
  const releases = Object.values(resourcesOfType(helm, "helm_release")) as any[];
  for (const spec of addonReleases(env).filter((r) => r.placement === "system-nodes")) {
    const values = parse(releases.find((r) => r.name === spec.releaseName).values[0]);
    expect({ release: spec.releaseName, nodeSelector: values.nodeSelector["layer.hev.dev/node-role"] }).toEqual({
      release: spec.releaseName,
      nodeSelector: "system",
    });
    expect(values.tolerations).toContainEqual(SYSTEM_TOLERATION);
  }
});
