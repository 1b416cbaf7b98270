/**
 * What an EC2 instance type offers a kubelet on an EKS AL2023 node, computed
 * the way nodeadm configures the kubelet
 * (https://github.com/awslabs/amazon-eks-ami/blob/main/nodeadm/internal/kubelet/config.go):
 * kube-reserved CPU from a per-core ladder, kube-reserved memory
 * `11 MiB × maxPods + 255 MiB`, hard eviction at `memory.available < 100Mi`,
 * and max pods from the ENI formula of eni-max-pods.txt
 * (https://github.com/awslabs/amazon-eks-ami/blob/main/templates/shared/runtime/eni-max-pods.txt).
 */

export interface InstanceType {
  readonly vcpus: number;
  /** Nominal memory (the EC2 figure). */
  readonly memoryMiB: number;
  readonly enis: number;
  readonly ipv4PerEni: number;
  readonly gpus: number;
}

/** https://docs.aws.amazon.com/ec2/latest/instancetypes/ (Network specifications: max ENIs, IPv4 per ENI). */
export const INSTANCE_TYPES: Record<string, InstanceType> = {
  "i4i.large": { vcpus: 2, memoryMiB: 16384, enis: 3, ipv4PerEni: 10, gpus: 0 },
  "i4i.xlarge": { vcpus: 4, memoryMiB: 32768, enis: 4, ipv4PerEni: 15, gpus: 0 },
  "i4i.2xlarge": { vcpus: 8, memoryMiB: 65536, enis: 4, ipv4PerEni: 15, gpus: 0 },
  "i4i.4xlarge": { vcpus: 16, memoryMiB: 131072, enis: 8, ipv4PerEni: 30, gpus: 0 },
  "i7ie.large": { vcpus: 2, memoryMiB: 16384, enis: 3, ipv4PerEni: 10, gpus: 0 },
  "i7ie.xlarge": { vcpus: 4, memoryMiB: 32768, enis: 4, ipv4PerEni: 15, gpus: 0 },
  "m7i.large": { vcpus: 2, memoryMiB: 8192, enis: 3, ipv4PerEni: 10, gpus: 0 },
  "m7i.xlarge": { vcpus: 4, memoryMiB: 16384, enis: 4, ipv4PerEni: 15, gpus: 0 },
  "c7i.large": { vcpus: 2, memoryMiB: 4096, enis: 3, ipv4PerEni: 10, gpus: 0 },
  "r7i.large": { vcpus: 2, memoryMiB: 16384, enis: 3, ipv4PerEni: 10, gpus: 0 },
};

/**
 * The memory a node reports is below the EC2 figure (firmware, kernel); Karpenter
 * estimates it with `VM_MEMORY_OVERHEAD_PERCENT` = 7.5 % (https://karpenter.sh/docs/reference/settings/).
 */
export const VM_MEMORY_OVERHEAD = 0.075;
export const EVICTION_HARD_MIB = 100;

export interface Allocatable {
  readonly instanceType: string;
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  readonly maxPods: number;
  /** How each number was derived, for the report. */
  readonly derivation: string;
}

/** ENI formula: `ENIs × (IPv4 per ENI − 1) + 2` (aws-node and kube-proxy use the host network). */
export function eniMaxPods(t: InstanceType): number {
  return t.enis * (t.ipv4PerEni - 1) + 2;
}

/** With prefix delegation each secondary IP slot holds a /28 (16 addresses); EKS caps at 110 below 30 vCPUs, else 250. */
export function prefixDelegationMaxPods(t: InstanceType): number {
  return Math.min(t.enis * ((t.ipv4PerEni - 1) * 16) + 2, t.vcpus < 30 ? 110 : 250);
}

/** nodeadm: 6 % of the first core, 1 % of the second, 0.5 % of cores 3–4, 0.25 % of the rest. */
export function kubeReservedCpuMillicores(vcpus: number): number {
  const steps: [number, number][] = [
    [1, 0.06],
    [1, 0.01],
    [2, 0.005],
    [Infinity, 0.0025],
  ];
  let left = vcpus;
  let reserved = 0;
  for (const [cores, fraction] of steps) {
    const n = Math.min(left, cores);
    reserved += n * 1000 * fraction;
    left -= n;
    if (left <= 0) break;
  }
  return reserved;
}

export function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

export function allocatable(instanceType: string, options: { maxPods?: number } = {}): Allocatable | undefined {
  const t = INSTANCE_TYPES[instanceType];
  if (!t) return undefined;
  const maxPods = options.maxPods ?? eniMaxPods(t);
  const cpuReserved = kubeReservedCpuMillicores(t.vcpus);
  const memoryCapacity = Math.floor(t.memoryMiB * (1 - VM_MEMORY_OVERHEAD));
  const memoryReserved = kubeReservedMemoryMiB(maxPods);
  return {
    instanceType,
    cpuMillicores: t.vcpus * 1000 - cpuReserved,
    memoryMiB: memoryCapacity - memoryReserved - EVICTION_HARD_MIB,
    maxPods,
    derivation:
      `${t.vcpus} vCPU − ${cpuReserved}m kube-reserved; ${t.memoryMiB} MiB − 7.5 % VM overhead = ${memoryCapacity} MiB − ${memoryReserved} MiB kube-reserved (11 × ${maxPods} + 255) − ${EVICTION_HARD_MIB} MiB eviction; ` +
      `max pods ${maxPods}${options.maxPods === undefined ? ` (${t.enis} ENIs × (${t.ipv4PerEni} − 1) + 2)` : " (set by the node configuration)"}`,
  };
}
