/**
 * The registry is the one list of cluster add-ons: its order is the install
 * order, its `enabled` rules decide what each example environment gets, and
 * the stacks create exactly the releases and AWS halves of the enabled
 * add-ons, nothing hand-wired beside them.
 */
import { ADDON_CATALOG, ADDON_CHARTS, AddonRelease, addonReleases, enabledAddons } from "../../addons/catalog";
import { CLUSTER_ADDONS } from "../../addons/registry";
import type { Environment } from "../../config/environment";
import { RELEASE_NAME } from "../../config/release-values";
import type { StackJson } from "../../tfjson/stack-json";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";

const INSTALL_ORDER = ["load-balancer-controller", "karpenter", "worker-pools", "efs", "keda", "external-dns"];

/** How the synthesized Helm stack's add-on releases differ from what the catalog says the environment gets. */
function releaseMismatches(env: Environment, helm: StackJson): string[] {
  const synthesized = Object.values(resourcesOfType(helm, "helm_release")).filter((r: any) => r.name !== RELEASE_NAME);
  const expected = addonReleases(env);
  const problems: string[] = [];
  for (const release of expected) {
    const found: any = synthesized.find((r: any) => r.name === release.releaseName);
    if (!found) {
      problems.push(`${release.addon}: no helm_release named ${release.releaseName}`);
      continue;
    }
    const want = (r: AddonRelease) => ({
      chart: r.chart,
      repository: r.repository,
      namespace: r.namespace,
      version: r.version,
      create_namespace: r.createNamespace,
    });
    const got = {
      chart: found.chart,
      repository: found.repository,
      namespace: found.namespace,
      version: found.version,
      create_namespace: found.create_namespace,
    };
    if (JSON.stringify(got) !== JSON.stringify(want(release)))
      problems.push(`${release.addon}: ${release.releaseName} is ${JSON.stringify(got)}, expected ${JSON.stringify(want(release))}`);
  }
  for (const r of synthesized as any[])
    if (!expected.some((e) => e.releaseName === r.name)) problems.push(`helm_release ${r.name} belongs to no enabled add-on`);
  return problems;
}

test("the registry pairs every catalog entry with its constructs, in install order", () => {
  expect(ADDON_CATALOG.map((a) => a.name)).toEqual(INSTALL_ORDER);
  expect(CLUSTER_ADDONS.map((a) => a.catalog)).toEqual([...ADDON_CATALOG]);
  // The audit, the simulation and the review find an add-on's releases by name.
  const names = ADDON_CHARTS.map((c) => c.releaseName);
  expect(new Set(names).size).toBe(names.length);
  // Each add-on builds at least one half.
  for (const addon of CLUSTER_ADDONS) expect(Boolean(addon.aws || addon.helm)).toBe(true);
});

test.each(["dev", "prod"])("%s: every release an add-on installs is one of the charts its catalog lists", (name) => {
  const env = synthExample(name).env;
  for (const addon of enabledAddons(env)) for (const { version, ...chart } of addon.releases(env)) expect(addon.charts).toContainEqual(chart);
});

test.each([
  ["dev", ["load-balancer-controller", "karpenter", "worker-pools", "efs", "keda"]],
  ["prod", INSTALL_ORDER],
  ["existing", []],
  ["helm-only", []],
])("%s: the enabled rules pick %j", (name, expected) => {
  expect(enabledAddons(synthExample(name).env).map((a) => a.name)).toEqual(expected);
});

test.each(["dev", "prod", "existing", "helm-only"])("%s: the Helm stack installs exactly the enabled add-ons' releases, as the catalog pins them", (name) => {
  const { env, helm } = synthExample(name);
  expect(releaseMismatches(env, helm)).toEqual([]);
});

test("a switch turns one add-on off in both stacks and nothing else", () => {
  const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}keda:\n  enabled: false\nefs:\n  enabled: false\n`, "dev");
  expect(enabledAddons(env).map((a) => a.name)).toEqual(["load-balancer-controller", "karpenter", "worker-pools"]);
  const synthesized = synthEnvironment(env);
  expect(releaseMismatches(env, synthesized.helm)).toEqual([]);
  expect(resourcesOfType(synthesized.helm, "helm_release").keda).toBeUndefined();
  expect(resourcesOfType(synthesized.helm, "kubernetes_storage_class_v1")).toEqual({});
  expect(resourcesOfType(synthesized.aws, "aws_efs_file_system")).toEqual({});
  expect(Object.keys(resourcesOfType(synthesized.aws, "aws_sqs_queue"))).toEqual(["karpenter_interruption_queue"]);
});

test("the comparison catches a stack that installs what the catalog does not enable, or misses what it does", () => {
  const withKeda = synthExample("dev");
  const withoutKeda = environmentFromYaml(`${MINIMAL_ENVIRONMENT}keda:\n  enabled: false\n`, "dev");
  expect(releaseMismatches(withoutKeda, withKeda.helm)).toEqual(["helm_release keda belongs to no enabled add-on"]);
  expect(releaseMismatches(withKeda.env, synthEnvironment(withoutKeda).helm)).toEqual(["keda: no helm_release named keda"]);
  const pinnedElsewhere = environmentFromYaml(`${MINIMAL_ENVIRONMENT}loadBalancerController:\n  chartVersion: 3.4.0\n`, "dev");
  expect(releaseMismatches(pinnedElsewhere, withKeda.helm).join("\n")).toMatch(
    /load-balancer-controller: aws-load-balancer-controller is .*"version":"3\.5\.0".*expected .*"version":"3\.4\.0"/,
  );
});

test("the AWS halves follow the same rules: external-dns's role only with a managed certificate", () => {
  expect(resourcesOfType(synthExample("prod").aws, "aws_iam_role").external_dns).toBeDefined();
  expect(resourcesOfType(synthExample("dev").aws, "aws_iam_role").external_dns).toBeUndefined();
  expect(synthExample("prod").aws!.output?.external_dns_role_arn).toBeDefined();
});

/** A resource each AWS half always creates. */
const AWS_HALF_MARKERS: Record<string, [string, string]> = {
  "load-balancer-controller": ["aws_iam_role", "load_balancer_controller_role"],
  karpenter: ["aws_sqs_queue", "karpenter_interruption_queue"],
  efs: ["aws_efs_file_system", "efs"],
  "external-dns": ["aws_iam_role", "external_dns"],
};

test.each(["dev", "prod", "existing"])("%s: the AWS stack builds the AWS half of exactly the enabled add-ons", (name) => {
  const { env, aws } = synthExample(name);
  expect(CLUSTER_ADDONS.filter((a) => a.aws).map((a) => a.catalog.name)).toEqual(Object.keys(AWS_HALF_MARKERS));
  for (const addon of CLUSTER_ADDONS.filter((a) => a.aws)) {
    const [type, address] = AWS_HALF_MARKERS[addon.catalog.name];
    expect({ addon: addon.catalog.name, built: resourcesOfType(aws, type)[address] !== undefined }).toEqual({
      addon: addon.catalog.name,
      built: addon.catalog.enabled(env),
    });
  }
});
