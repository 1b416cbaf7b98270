/**
 * The simulation's verdicts on planted mistakes: each mistake the install
 * would hit must fail its check, and the fixture without a mistake passes.
 */
import * as path from "node:path";
import { findHelm, announceHelmSkip } from "../helpers/helm-binary";
import { referenceDir } from "../../simulation/charts";
import { Simulation, failures, simulate } from "../../simulation/simulate";
import { FixtureOptions, ROLE_ARN, WIDGETS_CHART, fixtureStacks } from "./fixture-world";
import { PROJECT_ROOT } from "../helpers/synth";

const helm = findHelm();
const describeHelm = typeof helm === "string" ? describe : describe.skip;
if (typeof helm !== "string") announceHelmSkip(helm.skip);

const run = (options: FixtureOptions = {}): Promise<Simulation> =>
  simulate(fixtureStacks(options), { helm: helm as string, referenceDir: referenceDir(PROJECT_ROOT) });

const failing = (s: Simulation) => failures(s).map((f) => `${f.check}: ${f.subject}: ${f.message}`);

describeHelm("planted mistakes fail the install simulation", () => {
  test("the fixture without a mistake passes every check", async () => {
    const s = await run();
    expect(failing(s)).toEqual([]);
    expect(s.findings.filter((f) => f.check === "scheduling").map((f) => f.message)).toEqual(["lands on node group system"]);
    expect(s.findings.find((f) => f.check === "irsa")?.message).toBe("fx-app trusts app/app");
  });

  test("a pod whose selector matches no node", async () => {
    const s = await run({ values: { nodeSelector: { "layer.hev.dev/node-role": "worker-cpu" } } });
    expect(failing(s)).toEqual(["scheduling: Deployment app/app: nodeSelector layer.hev.dev/node-role=worker-cpu matches no node group system node"]);
  });

  test("a pod that does not tolerate the system nodes' taint", async () => {
    const s = await run({ taints: [{ key: "layer.hev.dev/node-role", value: "system", effect: "NO_SCHEDULE" }] });
    expect(failing(s)).toEqual(["scheduling: Deployment app/app: does not tolerate node group system's taint layer.hev.dev/node-role=system:NoSchedule"]);
    const tolerated = await run({
      taints: [{ key: "layer.hev.dev/node-role", value: "system", effect: "NO_SCHEDULE" }],
      values: { tolerations: [{ key: "layer.hev.dev/node-role", operator: "Equal", value: "system", effect: "NoSchedule" }] },
    });
    expect(failing(tolerated)).toEqual([]);
  });

  test("a GPU request on a node without GPUs", async () => {
    const s = await run({ values: { resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { "nvidia.com/gpu": 1 } } } });
    expect(failing(s)).toEqual(["scheduling: Deployment app/app: requests nvidia.com/gpu but node group system has no GPUs"]);
  });

  test("a ServiceAccount whose role trusts another name", async () => {
    const s = await run({ trustedSubject: "system:serviceaccount:app:other" });
    expect(failing(s)).toEqual(["irsa: ServiceAccount app/app: fx-app trusts app/other, not app/app: AssumeRoleWithWebIdentity is denied"]);
  });

  test("an IRSA role nothing uses", async () => {
    const s = await run({ values: { serviceAccount: { roleArn: "" } } });
    expect(failing(s)).toEqual(["irsa: aws_iam_role.app_role: fx-app trusts app/app but no ServiceAccount or add-on uses it"]);
  });

  test("a Secret nobody creates", async () => {
    const s = await run({ values: { tokenSecret: { create: false } } });
    expect(failing(s)).toEqual([
      "references: Deployment app/app → Secret app/app-token: env TOKEN of container app: no release or resource creates Secret app/app-token, and it is not a documented prerequisite",
    ]);
    // In a cluster the platform team runs, it is a prerequisite to create, not a pass.
    const existing = await run({ existingCluster: true, values: { tokenSecret: { create: false } } });
    expect(failing(existing)).toEqual([]);
    expect(existing.findings.filter((f) => f.check === "references" && f.status === "unknown").map((f) => f.subject)).toEqual([
      "Deployment app/app → Secret app/app-token",
    ]);
    expect(existing.prerequisites.map((p) => p.what)).toContain("Secret app/app-token");
  });

  test("a values key the chart lacks", async () => {
    const s = await run({ values: { replicaCount: 2, serviceAccount: { annotations: { a: "b" } } } });
    expect(failing(s).sort()).toEqual(
      [
        "values: helm_release.app value replicaCount: replicaCount is not a key of " +
          `${path.join(PROJECT_ROOT, "test/fixtures/simulation/app")}'s values.yaml and no template reads it: helm ignores it silently`,
        "values: helm_release.app value serviceAccount.annotations: serviceAccount.annotations is not a key of " +
          `${path.join(PROJECT_ROOT, "test/fixtures/simulation/app")}'s values.yaml and no template reads it: helm ignores it silently`,
      ].sort(),
    );
  });

  test("too many requests for the node: over the headroom, and more than one node holds", async () => {
    const fits = await run({ values: { replicas: 2, resources: { requests: { cpu: "800m", memory: "128Mi" } } } });
    expect(failing(fits)).toEqual([]);
    const tight = await run({ values: { replicas: 2, resources: { requests: { cpu: "850m", memory: "128Mi" } } } });
    expect(failing(tight)).toEqual([
      expect.stringMatching(/^capacity: node group system: CPU headroom 11\.9 % < 15 %: 1 × i4i\.large: requests 1700m of 1930m CPU/),
    ]);
    const huge = await run({ values: { resources: { requests: { cpu: "2", memory: "128Mi" } } } });
    expect(failing(huge)).toEqual([
      "scheduling: Deployment app/app: one pod asks 2000m CPU / 128 MiB, more than one i4i.large of node group system can give (1930m / 14481 MiB)",
    ]);
  });

  test("too many pods for the node's max pods", async () => {
    const s = await run({ values: { replicas: 30, resources: { requests: { cpu: "10m", memory: "16Mi" } } } });
    expect(failing(s)).toHaveLength(1);
    expect(failing(s)[0]).toContain("30 pods > max pods 29 × 1");
  });

  test("a hostPath off the NVMe, and one on it", async () => {
    const off = await run({ values: { dataHostPath: "/data/app" } });
    expect(failing(off)).toEqual([
      expect.stringMatching(/^storage: Deployment app\/app volume data: hostPath \/data\/app is not on the NVMe the system node mounts/),
    ]);
    const on = await run({ values: { dataHostPath: "/mnt/k8s-disks/0/app" } });
    expect(failing(on)).toEqual([]);
  });

  test("a custom resource whose CRD another release installs without being waited for", async () => {
    const widgets = { widgets: { name: "widgets", chart: WIDGETS_CHART, namespace: "widgets" } };
    const unordered = await run({ values: { widget: true }, releases: widgets });
    expect(failing(unordered)).toEqual([
      "ordering: Widget app/app: its CRD is installed by helm_release.widgets, which helm_release.app does not wait for (depends_on)",
    ]);
    const ordered = await run({ values: { widget: true }, releases: widgets, appDependsOn: ["helm_release.widgets"] });
    expect(failing(ordered)).toEqual([]);
    const nowhere = await run({ values: { widget: true } });
    expect(failing(nowhere)).toEqual(["ordering: Widget app/app: no release installs the CRD for example.dev/Widget"]);
  });

  test("Services created before a fail-closed Service webhook of another release is ready", async () => {
    const webhook = { widgets: { name: "widgets", chart: WIDGETS_CHART, namespace: "widgets", values: ["serviceWebhook: true\n"] } };
    const unordered = await run({ releases: webhook });
    expect(failing(unordered)).toEqual([
      expect.stringMatching(
        /^ordering: helm_release.app Services: Service app\/app pass through MutatingWebhookConfiguration widgets-service-webhook \(mservice.widgets.example.dev\) of helm_release.widgets, which fails closed; helm_release.app does not depend on helm_release.widgets/,
      ),
    ]);
    expect(failing(await run({ releases: webhook, appDependsOn: ["helm_release.widgets"] }))).toEqual([]);
    const noWait = { widgets: { ...webhook.widgets, wait: false } };
    expect(failing(await run({ releases: noWait, appDependsOn: ["helm_release.widgets"] }))).toEqual([
      expect.stringContaining("helm_release.widgets does not wait for its pods (wait = false)"),
    ]);
  });

  test("a chart missing from the reference folder is a loud skip naming it", async () => {
    const s = await run({
      releases: { ghost: { name: "ghost", chart: "ghost-chart", repository: "https://example.invalid/charts", version: "9.9.9", namespace: "ghost" } },
    });
    expect(s.findings.filter((f) => f.status === "skip").map((f) => f.message)).toEqual([
      `SKIPPED: chart ghost-chart 9.9.9 is not in ${path.join(referenceDir(PROJECT_ROOT), "charts")}`,
    ]);
    // What the skipped release might create is unknown, not a failure.
    const unused = await run({
      values: { serviceAccount: { roleArn: "" } },
      releases: { ghost: { name: "ghost", chart: "ghost-chart", repository: "https://example.invalid/charts", version: "9.9.9", namespace: "ghost" } },
    });
    expect(failing(unused)).toEqual([]);
    expect(unused.findings.filter((f) => f.check === "irsa").map((f) => f.status)).toEqual(["unknown"]);
  });

  test("helm-only mode: a role the stacks do not make is a prerequisite to create, not a pass", async () => {
    const s = await run({ helmOnly: true });
    expect(failing(s)).toEqual([]);
    expect(s.findings.filter((f) => f.check === "irsa").map((f) => `${f.status}: ${f.message}`)).toEqual([
      `unknown: role ${ROLE_ARN} is not made by these stacks (a prerequisite): its trust cannot be checked`,
    ]);
    expect(s.prerequisites).toContainEqual({
      what: `IAM role ${ROLE_ARN}`,
      why: "trusting app/app through the cluster's OIDC provider (ServiceAccount app/app)",
    });
  });

  test("existing-cluster mode reports the platform nodes as unknown, not as passes", async () => {
    const s = await run({ existingCluster: true });
    expect(failing(s)).toEqual([]);
    expect(s.findings.filter((f) => f.check === "scheduling" || f.check === "capacity").map((f) => f.status)).toEqual(["unknown", "unknown"]);
    expect(s.prerequisites[0].what).toBe("the cluster's nodes");
  });
});
