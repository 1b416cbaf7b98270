/** Which host paths are on the system node's NVMe, from its launch template's user data. */
import { nvmePaths } from "../../simulation/checks/storage";

const NODE_CONFIG = "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  instance:\n    localStorage:\n      strategy: RAID0\n";

test("RAID0 local storage: the array and the directories nodeadm binds onto it", () => {
  expect(nvmePaths(NODE_CONFIG)).toEqual(["/mnt/k8s-disks/0", "/var/lib/kubelet", "/var/lib/containerd", "/var/log/pods"]);
});

test("a link or bind mount into the array adds its path; one from elsewhere does not", () => {
  const script = `${NODE_CONFIG}--B\nContent-Type: text/x-shellscript\n\nln -sfn /mnt/k8s-disks/0 /mnt/nvme\nmount --bind /mnt/k8s-disks/0/cache /srv/cache\nln -s /home/data /mnt/elsewhere\n`;
  expect(nvmePaths(script)).toEqual(["/mnt/k8s-disks/0", "/var/lib/kubelet", "/var/lib/containerd", "/var/log/pods", "/mnt/nvme", "/srv/cache"]);
});

test("without RAID0 local storage nothing is on NVMe", () => {
  expect(nvmePaths("ln -s /mnt/k8s-disks/0 /mnt/nvme")).toEqual([]);
  expect(nvmePaths(undefined)).toEqual([]);
});
