/**
 * One owner per NodePool: charts/worker-pools renders every pool, the product
 * chart none. Proven with the real helm binary on both charts, including the
 * chart's own values-indexing.yaml profile, which would otherwise add a
 * second document-cache pool.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { chartNodePoolOwners, chartNodePoolValues, projectRendersDocumentCachePool } from "../../config/node-pools";
import { MINIMAL_ENVIRONMENT, PROJECT_ROOT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { layerRelease, resourcesOfType } from "../helpers/terraform-json";
import { announceHelmSkip, findHelm, runHelm } from "../helpers/helm-binary";
import { describeWithReference } from "../helpers/reference";

const cacheEnv = environmentFromYaml(`${MINIMAL_ENVIRONMENT}karpenter:\n  documentCache:\n    enabled: true\n`, "cache");
// The loader refuses this combination; the function alone must still not claim a pool the project does not render.
const existingCacheEnv = { mode: "existing-cluster", karpenter: { documentCache: { enabled: true } } } as const;

describe("chartNodePoolValues", () => {
  test("the chart's pools are always off; the cache goes to the project's pool only where the project renders it", () => {
    expect(chartNodePoolValues(synthExample("dev").env)).toEqual({
      workerKarpenter: { enabled: false },
      documentCache: { nodeRole: "system", karpenter: { enabled: false } },
    });
    expect(chartNodePoolValues(cacheEnv).documentCache).toEqual({ nodeRole: "document-cache", karpenter: { enabled: false } });
    // An existing cluster without this project's Karpenter has no document-cache pool of ours.
    expect(projectRendersDocumentCachePool(existingCacheEnv)).toBe(false);
    expect(chartNodePoolValues(existingCacheEnv).documentCache.nodeRole).toBe("system");
  });

  test("chartNodePoolOwners names each switch that would make the chart a second owner", () => {
    expect(chartNodePoolOwners({ workerKarpenter: { enabled: true }, documentCache: { karpenter: { enabled: true } } })).toEqual([
      "workerKarpenter.enabled",
      "documentCache.karpenter.enabled",
    ]);
    expect(chartNodePoolOwners(chartNodePoolValues(cacheEnv))).toEqual([]);
  });

  test.each(["dev", "prod", "existing", "helm-only"])("%s: the release's values turn on none of the chart's pools", (name) => {
    expect(chartNodePoolOwners(parse(layerRelease(synthExample(name).helm).values[0]))).toEqual([]);
  });

  test("with the project's document-cache pool, the release's values turn on none of the chart's pools and put the cache on it", () => {
    const values = parse(layerRelease(synthEnvironment(cacheEnv).helm).values[0]);
    expect(chartNodePoolOwners(values)).toEqual([]);
    expect(values.documentCache.nodeRole).toBe(chartNodePoolValues(cacheEnv).documentCache.nodeRole);
  });
});

const helm = findHelm();
if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`NodePool ownership through the real charts skipped: ${helm.skip}`, () => undefined);
} else {
  describeWithReference("NodePool ownership through the real charts", "charts/hev-layer-0.1.0/Chart.yaml", (chartFile) => {
    const chart = path.dirname(chartFile);
    const workdir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-node-pools-"));
    afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));
    let n = 0;
    const file = (text: string) => {
      const f = path.join(workdir, `v${n++}.yaml`);
      fs.writeFileSync(f, text);
      return f;
    };
    const objects = (args: string[]) => {
      const result = runHelm(helm, ["template", "probe", ...args]);
      if (result.status !== 0) throw new Error(result.stderr);
      return parseAllDocuments(result.stdout)
        .map((d) => d.toJS())
        .filter(Boolean);
    };
    const pools = (objs: any[]) => objs.filter((o) => o.kind === "NodePool").map((o) => o.metadata.name);
    const karpenterKinds = (objs: any[]) => objs.filter((o) => ["NodePool", "EC2NodeClass"].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`);
    // What the chart needs to render at all (placeholders), plus what its pools need, so only our values can keep them off.
    const base = [
      "vectorStore.credential.apiKey=placeholder",
      "dashboard.basicAuth.user=admin",
      "dashboard.basicAuth.password=placeholder",
      "documentCache.karpenter.clusterName=layer-cache",
      "documentCache.karpenter.instanceProfile=p",
      "workerKarpenter.clusterName=layer-cache",
      "workerKarpenter.instanceProfile=p",
    ].flatMap((v) => ["--set", v]);
    /** charts/worker-pools rendered with the values the environment's Helm stack passes it. */
    const ourObjects = (synth: { helm: any }) =>
      objects([
        path.join(PROJECT_ROOT, "charts/worker-pools"),
        "--namespace",
        "kube-system",
        "-f",
        file(resourcesOfType(synth.helm, "helm_release").worker_pools.values[0]),
      ]);
    const product = (...files: string[]) => objects([chart, "--namespace", "layer", ...files.flatMap((f) => ["-f", f]), ...base]);

    test("without our values the indexing profile renders the chart's own document-cache pool (the check can fail)", () => {
      expect(karpenterKinds(product(path.join(chart, "values-indexing.yaml")))).toEqual(["EC2NodeClass/layer-document-cache", "NodePool/layer-document-cache"]);
      expect(pools(product(file(stringify({ workerKarpenter: { enabled: true } }))))).toEqual(["worker-cpu", "worker-gpu"]);
    });

    test.each([
      ["chart defaults", [] as string[]],
      ["the values-demo.yaml profile", ["values-demo.yaml"]],
      ["the values-indexing.yaml profile", ["values-indexing.yaml"]],
    ])("with %s and our values on top, the product chart renders no NodePool or EC2NodeClass", (_label, profiles) => {
      const ours = file(stringify(chartNodePoolValues(cacheEnv)));
      expect(karpenterKinds(product(...profiles.map((p) => path.join(chart, p)), ours))).toEqual([]);
    });

    test("our pools carry exactly the labels and taints of the product's own pools for the same roles", () => {
      const contract = (objs: any[]) =>
        Object.fromEntries(
          objs
            .filter((o) => o.kind === "NodePool")
            .map((p) => [
              p.spec.template.metadata.labels["layer.hev.dev/node-role"],
              { labels: p.spec.template.metadata.labels, taints: p.spec.template.spec.taints },
            ]),
        );
      const theirs = contract(product(file(stringify({ workerKarpenter: { enabled: true }, documentCache: { karpenter: { enabled: true } } }))));
      expect(Object.keys(theirs).sort()).toEqual(["document-cache", "worker-cpu", "worker-gpu"]);
      const synth = synthEnvironment(cacheEnv);
      const ours = contract(ourObjects(synth));
      expect(ours).toEqual(theirs);
    });

    test("every NodePool of the environment is rendered exactly once, by charts/worker-pools", () => {
      const synth = synthEnvironment(cacheEnv);
      const ours = pools(ourObjects(synth));
      const theirs = pools(product(path.join(chart, "values-indexing.yaml"), file(stringify(chartNodePoolValues(cacheEnv)))));
      const all = [...ours, ...theirs];
      expect(all.sort()).toEqual(["document-cache", "worker-cpu", "worker-gpu"]);
      expect(new Set(all).size).toBe(all.length);
    });
  });
}
