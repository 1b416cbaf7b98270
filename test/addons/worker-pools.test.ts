/**
 * charts/worker-pools: linted and rendered by the real helm binary with the
 * values each example environment produces; the rendered NodePools and
 * EC2NodeClasses are checked against Karpenter 1.14.1's CRDs (structural
 * schema with unknown fields refused, plus the CEL rules).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { nvidiaDevicePluginValues, workerPoolsValues } from "../../addons/worker-pools/helm";
import { workerPoolSpecs } from "../../addons/worker-pools/pools";
import { MINIMAL_ENVIRONMENT, PROJECT_ROOT, environmentFromYaml, synthExample } from "../helpers/synth";
import { renderValues } from "../../constructs/helm-values";
import { roleName } from "../../config/naming";
import { announceHelmSkip, findHelm, runHelm } from "../helpers/helm-binary";
import { CrdValidator, loadCrdValidator } from "../helpers/crd-validator";
import { referenceDir } from "../helpers/reference";
import { resourcesOfType } from "../helpers/terraform-json";

const CHART = path.join(PROJECT_ROOT, "charts/worker-pools");
const documentCacheEnv = environmentFromYaml(`${MINIMAL_ENVIRONMENT}karpenter:\n  documentCache:\n    enabled: true\n`, "cache");

/** The values string the Helm stack passes to the chart, per environment. */
const cases: Array<[string, string]> = [
  ["dev", synthExample("dev").helm.resource!.helm_release.worker_pools.values[0]],
  ["prod", synthExample("prod").helm.resource!.helm_release.worker_pools.values[0]],
  [
    "document-cache",
    renderValues(
      workerPoolsValues({
        clusterName: documentCacheEnv.clusterName,
        nodeRoleName: roleName(documentCacheEnv, "karpenter-node"),
        amiAlias: documentCacheEnv.karpenter.amiAlias,
        pools: workerPoolSpecs(documentCacheEnv),
      }),
    ),
  ],
];

test("the release points at charts/worker-pools as seen from the directory terraform runs in (cdktf.out/stacks/<stack>)", () => {
  const release = synthExample("dev").helm.resource!.helm_release.worker_pools;
  const fromStackDir = path.resolve(PROJECT_ROOT, "cdktf.out/stacks/layer-dev-helm", release.chart);
  expect(fromStackDir).toBe(CHART);
  expect(fs.existsSync(path.join(fromStackDir, "Chart.yaml"))).toBe(true);
  expect(release.repository).toBeUndefined();
});

describe("pool specs from the environment", () => {
  test("worker-cpu and worker-gpu by default; document-cache only when enabled", () => {
    expect(workerPoolSpecs(synthExample("dev").env).map((p) => p.name)).toEqual(["worker-cpu", "worker-gpu"]);
    expect(workerPoolSpecs(documentCacheEnv).map((p) => p.name)).toEqual(["worker-cpu", "worker-gpu", "document-cache"]);
  });

  test("limits, consolidation, budgets and expiry come from config", () => {
    const env = environmentFromYaml(
      `${MINIMAL_ENVIRONMENT}karpenter:\n  workerCpu:\n    limits: {cpu: 64, memoryGiB: 128}\n    consolidationPolicy: WhenEmpty\n    consolidateAfter: 10m\n    disruptionBudget: "2"\n    expireAfter: 168h\n    capacityTypes: [on-demand]\n  workerGpu:\n    limits: {gpu: 2}\n`,
    );
    const values: any = workerPoolsValues({ clusterName: "c", nodeRoleName: "r", amiAlias: "al2023@latest", pools: workerPoolSpecs(env) });
    expect(Object.keys(values.pools)).toEqual(["worker-cpu", "worker-gpu"]);
    expect(values.pools["worker-gpu"].limits["nvidia.com/gpu"]).toBe("2");
    expect(values.pools["worker-cpu"]).toMatchObject({
      limits: { cpu: "64", memory: "128Gi" },
      consolidationPolicy: "WhenEmpty",
      consolidateAfter: "10m",
      disruptionBudget: "2",
      expireAfter: "168h",
      capacityTypes: ["on-demand"],
    });
  });

  test("the NVIDIA device plugin only lands on GPU pool nodes and tolerates their taint", () => {
    const values: any = nvidiaDevicePluginValues();
    expect(values.tolerations).toEqual([
      { key: "layer.hev.dev/node-role", operator: "Equal", value: "worker-gpu", effect: "NoSchedule" },
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "layer.hev.dev/node-role", operator: "In", values: ["worker-gpu"] }] },
    ]);
    const releases = resourcesOfType(synthExample("dev").helm, "helm_release");
    expect(releases.worker_pools_nvidia_device_plugin).toMatchObject({
      repository: "https://nvidia.github.io/k8s-device-plugin",
      chart: "nvidia-device-plugin",
    });
    expect(releases.worker_pools_nvidia_device_plugin.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

const helm = findHelm();
if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`helm chart tier skipped: ${helm.skip}`, () => undefined);
} else {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-worker-pools-"));
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));
  const valuesFile = (name: string, text: string) => {
    const file = path.join(workdir, `${name}.yaml`);
    fs.writeFileSync(file, text);
    return file;
  };
  const rendered = new Map<string, any[]>();
  const render = (name: string, text: string): any[] => {
    if (!rendered.has(name)) {
      const result = runHelm(helm, ["template", "worker-pools", CHART, "--namespace", "kube-system", "-f", valuesFile(name, text)]);
      if (result.status !== 0) throw new Error(`helm template failed for ${name}:\n${result.stderr}`);
      rendered.set(
        name,
        parseAllDocuments(result.stdout)
          .map((d) => d.toJS())
          .filter(Boolean),
      );
    }
    return rendered.get(name)!;
  };
  const byKind = (objects: any[], kind: string) => Object.fromEntries(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));

  describe.each(cases)("charts/worker-pools with the values of %s", (name, values) => {
    test("helm lint --strict passes", () => {
      const result = runHelm(helm, ["lint", "--strict", CHART, "-f", valuesFile(`${name}-lint`, values)]);
      if (result.status !== 0) throw new Error(`${result.stdout}${result.stderr}`);
      expect(result.stdout).toContain("0 chart(s) failed");
    });

    test("every pool is a NodePool with its own EC2NodeClass, labelled with its node role", () => {
      const objects = render(name, values);
      const pools = byKind(objects, "NodePool");
      const classes = byKind(objects, "EC2NodeClass");
      expect(Object.keys(pools).sort()).toEqual(Object.keys(classes).sort());
      for (const [poolName, pool] of Object.entries<any>(pools)) {
        expect(pool.apiVersion).toBe("karpenter.sh/v1");
        expect(pool.spec.template.metadata.labels["layer.hev.dev/node-role"]).toBe(poolName);
        expect(pool.spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: poolName });
        // Scale from zero: no static replicas, only limits.
        expect(pool.spec.replicas).toBeUndefined();
        expect(pool.spec.limits.cpu).toMatch(/^\d+$/);
        expect(pool.spec.disruption.budgets).toHaveLength(1);
      }
    });

    test("node classes: IMDSv2 with hop limit 1, RAID0 instance store, encrypted root, discovery by cluster tag, the Karpenter node role", () => {
      const env = name === "document-cache" ? documentCacheEnv : synthExample(name).env;
      for (const nodeClass of Object.values<any>(byKind(render(name, values), "EC2NodeClass"))) {
        expect(nodeClass.apiVersion).toBe("karpenter.k8s.aws/v1");
        expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
        expect(nodeClass.spec.instanceStorePolicy).toBe("RAID0");
        expect(nodeClass.spec.blockDeviceMappings[0].ebs.encrypted).toBe(true);
        expect(nodeClass.spec.role).toBe(`${env.resourcePrefix}-karpenter-node`);
        expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: env.karpenter.amiAlias }]);
        expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ tags: { "karpenter.sh/discovery": env.clusterName } }]);
        expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([{ tags: { "karpenter.sh/discovery": env.clusterName } }]);
      }
    });

    test("worker pools carry both labels the operator's built-in pools select, and the NoSchedule taint of their role", () => {
      const pools = byKind(render(name, values), "NodePool");
      const roleTaint = (role: string) => ({ key: "layer.hev.dev/node-role", value: role, effect: "NoSchedule" });
      expect(pools["worker-cpu"].spec.template.metadata.labels).toEqual({ "layer.hev.dev/node-role": "worker-cpu", "layer.hev.dev/compute": "cpu" });
      expect(pools["worker-cpu"].spec.template.spec.taints).toEqual([roleTaint("worker-cpu")]);
      expect(pools["worker-gpu"].spec.template.metadata.labels).toEqual({ "layer.hev.dev/node-role": "worker-gpu", "layer.hev.dev/compute": "gpu" });
      expect(pools["worker-gpu"].spec.template.spec.taints).toEqual([roleTaint("worker-gpu"), { key: "nvidia.com/gpu", effect: "NoSchedule" }]);
      if (pools["document-cache"]) {
        // What the chart's document cache selects and tolerates (documentCache.nodeRole: document-cache).
        expect(pools["document-cache"].spec.template.metadata.labels).toEqual({ "layer.hev.dev/node-role": "document-cache" });
        expect(pools["document-cache"].spec.template.spec.taints).toEqual([roleTaint("document-cache")]);
      }
    });

    test("the GPU pool only takes GPU families and limits GPUs", () => {
      const pools = byKind(render(name, values), "NodePool");
      const families = (pool: any) => pool.spec.template.spec.requirements.find((r: any) => r.key === "karpenter.k8s.aws/instance-family").values;
      expect(families(pools["worker-gpu"]).every((f: string) => /^(g|p)\d/.test(f))).toBe(true);
      expect(pools["worker-gpu"].spec.limits["nvidia.com/gpu"]).toMatch(/^\d+$/);
    });
  });

  test("protected environments render a dated AMI alias", () => {
    const nodeClass = Object.values<any>(byKind(render("prod", cases[1][1]), "EC2NodeClass"))[0];
    expect(nodeClass.spec.amiSelectorTerms[0].alias).toMatch(/^al2023@v\d{8}$/);
  });

  test("the document-cache pool stays on on-demand NVMe instances and is never expired", () => {
    const pool = byKind(render("document-cache", cases[2][1]), "NodePool")["document-cache"];
    const req = (key: string) => pool.spec.template.spec.requirements.find((r: any) => r.key === key).values;
    expect(req("karpenter.sh/capacity-type")).toEqual(["on-demand"]);
    expect(req("karpenter.k8s.aws/instance-family")).toEqual(["i4i", "i7ie"]);
    expect(pool.spec.template.spec.expireAfter).toBe("Never");
  });

  test("values the chart's schema refuses fail helm lint (an unknown pool key)", () => {
    const bad = `${cases[0][1]}`.replace("    nodeRole: worker-cpu\n", "    nodeRole: worker-cpu\n    nodeRoel: typo\n");
    expect(bad).not.toBe(cases[0][1]);
    const result = runHelm(helm, ["lint", "--strict", CHART, "-f", valuesFile("bad", bad)]);
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/nodeRoel/);
  });

  const reference = referenceDir();
  const crds = reference && path.join(reference, "karpenter-1.14.1/crds");
  if (!crds || !fs.existsSync(crds)) {
    announceHelmSkip("../shared/reference/karpenter-1.14.1/crds not found: CRD schema validation skipped");
    test.skip("CRD validation skipped: ../shared/reference/karpenter-1.14.1/crds not found", () => undefined);
  } else {
    const validators: Record<string, CrdValidator> = {
      NodePool: loadCrdValidator(path.join(crds, "karpenter.sh_nodepools.yaml")),
      EC2NodeClass: loadCrdValidator(path.join(crds, "karpenter.k8s.aws_ec2nodeclasses.yaml")),
    };

    test.each(cases)("the rendered objects for %s pass Karpenter 1.14.1's CRD schemas and CEL rules", (name, values) => {
      const objects = render(name, values).filter((o) => o.kind in validators);
      expect(objects.length).toBeGreaterThanOrEqual(4);
      for (const object of objects) {
        const validator = validators[object.kind];
        expect(object.apiVersion).toBe(validator.apiVersion);
        expect({ object: `${object.kind}/${object.metadata.name}`, problems: validator.validate(object) }).toEqual({
          object: `${object.kind}/${object.metadata.name}`,
          problems: [],
        });
      }
    });

    const sample = () => JSON.parse(JSON.stringify(render("dev", cases[0][1])));
    const samplePool = () => sample().find((o: any) => o.kind === "NodePool");
    const sampleClass = () => sample().find((o: any) => o.kind === "EC2NodeClass");

    test("an unknown field is rejected by the structural schema", () => {
      const pool = samplePool();
      pool.spec.template.spec.nodeClasRef = pool.spec.template.spec.nodeClassRef;
      expect(validators.NodePool.validate(pool).join("\n")).toMatch(/must NOT have additional properties "nodeClasRef"/);
      const nodeClass = sampleClass();
      nodeClass.spec.metadataOptions.httpHopLimit = 1;
      expect(validators.EC2NodeClass.validate(nodeClass).join("\n")).toMatch(/httpHopLimit/);
    });

    test("a value of the wrong shape is rejected by the schema (hop limit out of range)", () => {
      const nodeClass = sampleClass();
      nodeClass.spec.metadataOptions.httpPutResponseHopLimit = 0;
      expect(validators.EC2NodeClass.validate(nodeClass).length).toBeGreaterThan(0);
    });

    test("CEL rules reject what the API server would: a restricted label, an empty In, both role and instanceProfile", () => {
      const pool = samplePool();
      pool.spec.template.metadata.labels["karpenter.sh/nodepool"] = "x";
      expect(validators.NodePool.validate(pool).join("\n")).toMatch(/rule: self\.all\(x, x != "karpenter\.sh\/nodepool"\)/);
      const empty = samplePool();
      empty.spec.template.spec.requirements[0].values = [];
      expect(validators.NodePool.validate(empty).join("\n")).toMatch(/x\.values\.size\(\) != 0/);
      const nodeClass = sampleClass();
      nodeClass.spec.instanceProfile = "profile";
      expect(validators.EC2NodeClass.validate(nodeClass).join("\n")).toMatch(/has\(self\.role\) && !has\(self\.instanceProfile\)/);
      const alias = sampleClass();
      alias.spec.amiSelectorTerms = [{ alias: "windows2022@v20250101" }];
      expect(validators.EC2NodeClass.validate(alias).join("\n")).toMatch(/split\('@'\)\[1\] == 'latest'/);
    });
  }
}
