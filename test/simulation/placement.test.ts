/** Node selectors, required node affinity and tolerations against node shapes. */
import type { NodeShape } from "../../simulation/nodes";
import { placeOn, tolerates } from "../../simulation/placement";

const systemGroup: NodeShape = {
  id: "node group system",
  kind: "node-group",
  address: "aws_eks_node_group.system",
  labels: { "layer.hev.dev/node-role": ["system"], "kubernetes.io/os": ["linux"], "kubernetes.io/arch": ["amd64"], "topology.kubernetes.io/zone": "any" },
  taints: [{ key: "layer.hev.dev/node-role", value: "system", effect: "NoSchedule" }],
  alwaysOn: 1,
  desired: 1,
  instanceTypes: ["i4i.large"],
  gpu: false,
};
const gpuPool: NodeShape = {
  id: "NodePool worker-gpu",
  kind: "node-pool",
  address: "helm_release.worker_pools",
  labels: { "layer.hev.dev/node-role": ["worker-gpu"], "karpenter.sh/nodepool": ["worker-gpu"], "kubernetes.io/os": ["linux"] },
  taints: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }],
  alwaysOn: 0,
  desired: 0,
  instanceTypes: [],
  gpu: true,
};
const tolerateSystem = [{ key: "layer.hev.dev/node-role", operator: "Equal", value: "system", effect: "NoSchedule" }];

test("a taint blocks a pod without a matching toleration", () => {
  expect(placeOn({}, systemGroup, false)).toEqual({
    fits: false,
    reason: "does not tolerate node group system's taint layer.hev.dev/node-role=system:NoSchedule",
  });
  expect(placeOn({ tolerations: tolerateSystem }, systemGroup, false)).toEqual({ fits: true });
  expect(placeOn({ tolerations: [{ operator: "Exists" }] }, systemGroup, false)).toEqual({ fits: true });
});

test("a toleration with another value or effect does not match", () => {
  expect(tolerates([{ key: "layer.hev.dev/node-role", operator: "Equal", value: "worker", effect: "NoSchedule" }], systemGroup.taints[0])).toBe(false);
  expect(tolerates([{ key: "layer.hev.dev/node-role", operator: "Exists", effect: "NoExecute" }], systemGroup.taints[0])).toBe(false);
});

test("required node affinity: terms are ORed, expressions ANDed", () => {
  const term = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
  const affinity = (...terms: object[]) => ({
    tolerations: tolerateSystem,
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
  });
  expect(placeOn(affinity(term("karpenter.sh/nodepool", "DoesNotExist")), systemGroup, false).fits).toBe(true);
  expect(placeOn(affinity(term("karpenter.sh/nodepool", "Exists")), systemGroup, false).fits).toBe(false);
  expect(
    placeOn(affinity(term("layer.hev.dev/node-role", "In", ["worker-cpu"]), term("layer.hev.dev/node-role", "In", ["system"])), systemGroup, false).fits,
  ).toBe(true);
  expect(placeOn(affinity(term("layer.hev.dev/node-role", "NotIn", ["system"])), systemGroup, false).fits).toBe(false);
  // Zones are not pinned: any zone value can exist.
  expect(placeOn(affinity(term("topology.kubernetes.io/zone", "In", ["us-east-1a"])), systemGroup, false).fits).toBe(true);
});

test("GPU requests only land on GPU pools, and a pool's instance labels can take any value", () => {
  const gpuPod = {
    nodeSelector: { "layer.hev.dev/node-role": "worker-gpu" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
  };
  expect(placeOn(gpuPod, gpuPool, true)).toEqual({ fits: true });
  expect(placeOn({ ...gpuPod, nodeSelector: { "karpenter.k8s.aws/instance-family": "g6" } }, gpuPool, true)).toEqual({ fits: true });
  expect(placeOn({ tolerations: [{ operator: "Exists" }] }, systemGroup, true)).toEqual({
    fits: false,
    reason: "requests nvidia.com/gpu but node group system has no GPUs",
  });
});
