/** EKS AL2023 allocatable, computed as nodeadm configures the kubelet. */
import { allocatable, eniMaxPods, INSTANCE_TYPES, kubeReservedCpuMillicores, kubeReservedMemoryMiB, prefixDelegationMaxPods } from "../../simulation/instances";

test("i4i.large: 29 pods without prefix delegation, 1930m CPU and 14481 MiB allocatable", () => {
  expect(eniMaxPods(INSTANCE_TYPES["i4i.large"])).toBe(29);
  expect(allocatable("i4i.large")).toMatchObject({ cpuMillicores: 1930, memoryMiB: 14481, maxPods: 29 });
});

test("kube-reserved CPU follows the per-core ladder (6 %, 1 %, 0.5 % × 2, 0.25 % beyond)", () => {
  expect(kubeReservedCpuMillicores(1)).toBe(60);
  expect(kubeReservedCpuMillicores(2)).toBe(70);
  expect(kubeReservedCpuMillicores(4)).toBe(80);
  expect(kubeReservedCpuMillicores(8)).toBe(90);
});

test("kube-reserved memory is 11 MiB per pod plus 255 MiB", () => {
  expect(kubeReservedMemoryMiB(29)).toBe(574);
  expect(kubeReservedMemoryMiB(110)).toBe(1465);
});

test("prefix delegation raises max pods to the EKS cap of 110 below 30 vCPUs", () => {
  expect(prefixDelegationMaxPods(INSTANCE_TYPES["i4i.large"])).toBe(110);
  expect(allocatable("i4i.large", { maxPods: 110 })).toMatchObject({ maxPods: 110, memoryMiB: 15155 - 1465 - 100 });
});

test("an instance type without data is not guessed", () => {
  expect(allocatable("x9.mega")).toBeUndefined();
});
