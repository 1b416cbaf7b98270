/**
 * The node contract: the system node group is tainted
 * `layer.hev.dev/node-role=system:NoSchedule` like the product's own install,
 * and every pod that must run there tolerates it. Each add-on chart is
 * rendered by the real helm binary with the values the Helm stack passes, and
 * every pod template is placed against the nodes this project creates (labels
 * and taints read from the synthesized node group and the rendered NodePools).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { COREDNS_CONFIGURATION } from "../../constructs/eks-cluster";
import { EFS_CSI_DRIVER_CONFIGURATION } from "../../addons/efs/aws";
import { MINIMAL_ENVIRONMENT, PROJECT_ROOT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { asList, onlyResource, resourcesOfType } from "../helpers/terraform-json";
import { announceHelmSkip, findHelm, runHelm } from "../helpers/helm-binary";
import { referenceDir } from "../helpers/reference";
import { NodeModel, podSpecs, schedulingProblems, tolerates } from "../helpers/scheduling";

const EFFECTS: Record<string, string> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };
const BASE_LABELS = { "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" };

/** The system node as the synthesized managed node group makes it. */
function systemNode(aws: any): NodeModel {
  const ng = onlyResource(aws, "aws_eks_node_group");
  return {
    name: "system",
    labels: { ...BASE_LABELS, ...ng.labels },
    taints: asList<any>(ng.taint).map((t) => ({ key: t.key, value: t.value, effect: EFFECTS[t.effect] })),
  };
}

describe("helper: the scheduling model refuses what the scheduler would", () => {
  const node: NodeModel = { name: "n", labels: { a: "1" }, taints: [{ key: "layer.hev.dev/node-role", value: "system", effect: "NoSchedule" }] };
  test.each([
    ["no toleration", { nodeSelector: { a: "1" } }, /taint layer.hev.dev\/node-role=system:NoSchedule/],
    [
      "a toleration of another value",
      { tolerations: [{ key: "layer.hev.dev/node-role", operator: "Equal", value: "worker-cpu", effect: "NoSchedule" }] },
      /taint/,
    ],
    ["a toleration of another effect", { tolerations: [{ key: "layer.hev.dev/node-role", operator: "Exists", effect: "NoExecute" }] }, /taint/],
    ["a selector the node lacks", { nodeSelector: { a: "2" }, tolerations: [{ operator: "Exists" }] }, /nodeSelector a=2/],
    [
      "a required affinity the node fails",
      {
        tolerations: [{ operator: "Exists" }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "a", operator: "DoesNotExist" }] }] },
          },
        },
      },
      /required node affinity/,
    ],
  ])("%s", (_label, spec, problem) => {
    expect(schedulingProblems(spec, node).join("\n")).toMatch(problem);
  });
  test("an exact toleration, or operator Exists without a key, is accepted", () => {
    expect(
      schedulingProblems(
        { nodeSelector: { a: "1" }, tolerations: [{ key: "layer.hev.dev/node-role", operator: "Equal", value: "system", effect: "NoSchedule" }] },
        node,
      ),
    ).toEqual([]);
    expect(tolerates([{ operator: "Exists" }], node.taints[0])).toBe(true);
  });
});

describe("EKS managed add-ons", () => {
  const dev = synthExample("dev");
  const system = systemNode(dev.aws);
  const worker: NodeModel = {
    name: "worker-cpu",
    labels: { ...BASE_LABELS, "layer.hev.dev/node-role": "worker-cpu" },
    taints: [{ key: "layer.hev.dev/node-role", value: "worker-cpu", effect: "NoSchedule" }],
  };
  const addon = (name: string, stack = dev.aws) => Object.values<any>(resourcesOfType(stack, "aws_eks_addon")).find((a) => a.addon_name === name);

  test("CoreDNS is configured onto the system nodes: it selects their label and tolerates their taint", () => {
    const config = JSON.parse(addon("coredns").configuration_values);
    expect(config).toEqual(COREDNS_CONFIGURATION);
    expect(schedulingProblems(config, system)).toEqual([]);
    expect(schedulingProblems(config, worker)).not.toEqual([]);
    // Without the configuration it could not run anywhere: every node of the cluster is tainted.
    expect(schedulingProblems({ tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }] }, system)).not.toEqual([]);
  });

  test("the EFS CSI controller tolerates the system taint (its add-on schema takes controller.tolerations only), and no worker taint", () => {
    const config = JSON.parse(addon("aws-efs-csi-driver").configuration_values);
    expect(config).toEqual(EFS_CSI_DRIVER_CONFIGURATION);
    expect(schedulingProblems({ tolerations: config.controller.tolerations }, system)).toEqual([]);
    expect(schedulingProblems({ tolerations: config.controller.tolerations }, worker)).not.toEqual([]);
  });

  test("vpc-cni, kube-proxy and the pod identity agent keep their defaults: DaemonSets that tolerate every taint", () => {
    for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) expect(addon(name).configuration_values).toBeUndefined();
  });
});

const helm = findHelm();
const reference = referenceDir();
if (typeof helm !== "string" || !reference) {
  const reason = typeof helm !== "string" ? helm.skip : "no ../shared/reference next to the project";
  announceHelmSkip(reason);
  test.skip(`node contract through the real charts skipped: ${reason}`, () => undefined);
} else {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-node-contract-"));
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));
  let counter = 0;
  const render = (chartDir: string, namespace: string, values: string, extra: string[] = []): any[] => {
    const file = path.join(workdir, `values-${counter++}.yaml`);
    fs.writeFileSync(file, values);
    const result = runHelm(helm, ["template", "probe", chartDir, "--namespace", namespace, "-f", file, ...extra]);
    if (result.status !== 0) throw new Error(`helm template ${chartDir} failed:\n${result.stderr}`);
    return parseAllDocuments(result.stdout)
      .map((d) => d.toJS())
      .filter(Boolean);
  };

  const cacheEnv = environmentFromYaml(
    `${MINIMAL_ENVIRONMENT}karpenter:\n  documentCache:\n    enabled: true\n  workerGpu:\n    enabled: true\ndns:\n  managePublicDns: true\n  zoneName: layer.example.com\n  gatewayHost: search.layer.example.com\n`,
    "contract",
  );
  const envs = { dev: synthExample("dev"), prod: synthExample("prod"), contract: synthEnvironment(cacheEnv) };

  /** Nodes of an environment: the system node group and one node per rendered NodePool. */
  const nodesOf = (synth: (typeof envs)["dev"]): NodeModel[] => {
    const pools = resourcesOfType(synth.helm, "helm_release").worker_pools;
    const rendered = render(path.join(PROJECT_ROOT, "charts/worker-pools"), "kube-system", pools.values[0]);
    const poolNodes = rendered
      .filter((o) => o.kind === "NodePool")
      .map((p) => ({
        name: p.metadata.name,
        labels: { ...BASE_LABELS, "karpenter.sh/nodepool": p.metadata.name, ...p.spec.template.metadata.labels },
        taints: p.spec.template.spec.taints ?? [],
      }));
    return [systemNode(synth.aws), ...poolNodes];
  };

  /** The reference chart folder of a release, by chart name and pinned version. */
  const chartDir = (release: any) => path.join(reference, "charts", `${release.chart}-${release.version}`);
  const SYSTEM_ADDONS: Record<string, string> = {
    karpenter: "karpenter",
    load_balancer_controller: "aws-load-balancer-controller",
    keda: "keda",
    external_dns: "external-dns",
  };

  describe.each(Object.keys(envs) as Array<keyof typeof envs>)("%s", (name) => {
    const synth = envs[name];
    const nodes = nodesOf(synth);
    const releases = resourcesOfType(synth.helm, "helm_release");

    test("the nodes: a tainted system group, every pool tainted with its role", () => {
      expect(nodes[0].taints).toEqual([{ key: "layer.hev.dev/node-role", value: "system", effect: "NoSchedule" }]);
      for (const node of nodes.slice(1))
        expect(node.taints).toContainEqual({ key: "layer.hev.dev/node-role", value: node.labels["layer.hev.dev/node-role"], effect: "NoSchedule" });
    });

    const present = Object.keys(SYSTEM_ADDONS).filter((id) => releases[id]);
    test.each(present)("%s: every pod runs on the system nodes and on no worker or cache node", (id) => {
      const release = releases[id];
      expect(release.chart).toBe(SYSTEM_ADDONS[id]);
      const specs = podSpecs(render(chartDir(release), release.namespace, release.values[0]));
      expect(specs.length).toBeGreaterThan(0);
      for (const { name: pod, spec } of specs) {
        expect({ pod, problems: schedulingProblems(spec, nodes[0]) }).toEqual({ pod, problems: [] });
        for (const node of nodes.slice(1))
          expect({ pod, node: node.name, fits: schedulingProblems(spec, node).length === 0 }).toEqual({ pod, node: node.name, fits: false });
      }
    });

    if (releases.worker_pools_nvidia_device_plugin) {
      test("the NVIDIA device plugin runs on GPU nodes (both their taints tolerated) and nowhere else", () => {
        const release = releases.worker_pools_nvidia_device_plugin;
        // The MPS control daemon runs only where nvidia.com/mps.capable is set (GPU sharing, not configured here).
        const specs = podSpecs(render(chartDir(release), release.namespace, release.values[0])).filter((p) => !/mps-control-daemon/.test(p.name));
        expect(specs.length).toBeGreaterThan(0);
        for (const { name: pod, spec } of specs) {
          for (const node of nodes) {
            const fits = schedulingProblems(spec, node).length === 0;
            expect({ pod, node: node.name, fits }).toEqual({ pod, node: node.name, fits: node.name === "worker-gpu" });
          }
        }
      });
    }
  });

  describe("the product chart's pods land on the nodes this project creates", () => {
    const chart = path.join(reference, "charts/hev-layer-0.1.0");
    // What the chart needs to render at all (placeholders, never real secrets); the release's own values are tested with the release.
    const minimal = [
      "vectorStore.credential.apiKey=placeholder",
      "dashboard.basicAuth.user=admin",
      "dashboard.basicAuth.password=placeholder",
      "gateway.image=g:1",
      "operator.enabled=true",
      "operator.image=o:1",
      "dashboard.image=d:1",
      "search.enabled=true",
      "search.image=s:1",
      "s3.bucket=b",
    ];
    const sets = (extra: string[] = []) => [...minimal, ...extra].flatMap((v) => ["--set", v]);
    const nodes = nodesOf(envs.contract);
    const byName = Object.fromEntries(nodes.map((n) => [n.name, n]));

    test.each([
      [
        "embedded metrics",
        [],
        [
          "Deployment/probe-layer-dashboard",
          "StatefulSet/probe-layer-gateway",
          "Deployment/probe-layer-local-path-provisioner",
          "Deployment/probe-layer-operator",
          "Deployment/probe-layer-search",
          "StatefulSet/probe-layer-document-cache",
        ],
      ],
      [
        "VictoriaMetrics beside the gateway, with its S3 backup",
        ["metrics.embedded=false"],
        ["CronJob/probe-layer-vmbackup", "StatefulSet/probe-layer-vmsingle"],
      ],
    ])("%s: every pod runs on the tainted system nodes, and on no pool", (_label, extra, expected) => {
      const specs = podSpecs(render(chart, "layer", "{}\n", sets(extra)));
      expect(specs.map((s) => s.name)).toEqual(expect.arrayContaining(expected));
      for (const { name: pod, spec } of specs) {
        expect({ pod, problems: schedulingProblems(spec, byName.system) }).toEqual({ pod, problems: [] });
        for (const node of nodes.slice(1))
          expect({ pod, node: node.name, fits: schedulingProblems(spec, node).length === 0 }).toEqual({ pod, node: node.name, fits: false });
      }
    });

    test("with documentCache.nodeRole=document-cache the cache runs on the project's document-cache pool, and only there", () => {
      const specs = podSpecs(render(chart, "layer", "{}\n", sets(["documentCache.nodeRole=document-cache"])));
      const cache = specs.filter((s) => s.name.startsWith("StatefulSet/") && /document-cache/.test(s.name));
      expect(cache).toHaveLength(1);
      for (const node of nodes) {
        expect({ node: node.name, fits: schedulingProblems(cache[0].spec, node).length === 0 }).toEqual({
          node: node.name,
          fits: node.name === "document-cache",
        });
      }
    });
  });

  test("every add-on this project installs on the system nodes is checked here", () => {
    const ids = new Set(Object.values(envs).flatMap((s) => Object.keys(resourcesOfType(s.helm, "helm_release"))));
    const known = new Set([...Object.keys(SYSTEM_ADDONS), "karpenter_crd", "worker_pools", "worker_pools_nvidia_device_plugin", "layer_release"]);
    expect([...ids].filter((id) => !known.has(id))).toEqual([]);
  });
}
