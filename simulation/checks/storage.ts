/**
 * Storage: every hostPath of a pod that lands on the system nodes lies on
 * the NVMe the node sets up (nodeadm `localStorage.strategy: RAID0` mounts
 * the instance store at /mnt/k8s-disks/0 and bind-mounts the kubelet,
 * containerd and pod-log directories onto it,
 * https://awslabs.github.io/amazon-eks-ami/nodeadm/doc/api/#localstoragestrategy),
 * plus any symlink into it the user data creates; and every PVC names a
 * StorageClass that exists.
 */
import * as path from "node:path";
import type { SimulationContext } from "../context";
import { Finding, isRecord, resourcesOf } from "../model";
import { launchTemplateUserData } from "../nodes";
import type { Placement } from "./scheduling";

const RAID0_PATHS = ["/mnt/k8s-disks/0", "/var/lib/kubelet", "/var/lib/containerd", "/var/log/pods"];

/** Host paths a pod may mount for what they are (devices, sockets, host config), not to store data. */
const HOST_SYSTEM_PATHS = ["/dev", "/sys", "/proc", "/run", "/var/run", "/etc", "/lib/modules", "/usr", "/var/log", "/opt/cni", "/var/lib/kubelet"];

const within = (p: string, dir: string) => p === dir || p.startsWith(`${dir.replace(/\/+$/, "")}/`);

/** NVMe paths of the node group: RAID0 mounts plus `ln -s <nvme path> <link>` or `mount --bind <nvme path> <dir>` in its user data. */
export function nvmePaths(userData: string | undefined): string[] {
  if (!userData || !/strategy:\s*RAID0/.test(userData)) return [];
  const paths = [...RAID0_PATHS];
  const links = [
    ...[...userData.matchAll(/ln\s+-[a-zA-Z]*s[a-zA-Z]*\s+['"]?([^\s'"]+)['"]?\s+['"]?([^\s'"]+)['"]?/g)],
    ...[...userData.matchAll(/mount\s+(?:--bind|--rbind|-o\s+r?bind)\s+['"]?([^\s'"]+)['"]?\s+['"]?([^\s'"]+)['"]?/g)],
  ];
  for (const m of links) if (paths.some((p) => within(m[1], p))) paths.push(m[2].replace(/\/+$/, ""));
  return paths;
}

/** Built-in StorageClasses of every EKS cluster (https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html: gp2 is created with the cluster). */
const EKS_STORAGE_CLASSES = ["gp2"];

export function storageCheck(ctx: SimulationContext, placed: readonly Placement[]): Finding[] {
  const findings: Finding[] = [];
  const nvmeByNode = new Map<string, string[]>();
  for (const { name, body } of resourcesOf(ctx.aws, "aws_eks_node_group"))
    nvmeByNode.set(`aws_eks_node_group.${name}`, nvmePaths(launchTemplateUserData(ctx.aws, body)));

  for (const { workload: w, nodes } of placed) {
    if (w.origin.address.startsWith("aws_eks_addon.")) continue;
    for (const v of Array.isArray(w.pod.volumes) ? w.pod.volumes : []) {
      const hostPath = v?.hostPath?.path;
      if (typeof hostPath !== "string") continue;
      const p = path.posix.normalize(hostPath);
      const where = { subject: `${w.subject} volume ${v.name}`, address: w.origin.address, chart: w.origin.chart };
      const groups = nodes.filter((n) => n.kind === "node-group");
      const nvme = groups.map((g) => nvmeByNode.get(g.address) ?? []);
      const onNvme = nvme.length > 0 && nvme.every((paths) => paths.some((d) => within(p, d)));
      if (onNvme) findings.push({ check: "storage", status: "pass", ...where, message: `hostPath ${p} is on the system node's NVMe` });
      else if (HOST_SYSTEM_PATHS.some((d) => within(p, d)))
        findings.push({ check: "storage", status: "pass", ...where, message: `hostPath ${p} is a host system path (not data)` });
      else if (groups.length === 0)
        findings.push({
          check: "storage",
          status: "unknown",
          ...where,
          message: `hostPath ${p} on ${nodes.map((n) => n.id).join(", ") || "nodes the stacks do not create"}: their disk layout is not the system node's`,
        });
      else
        findings.push({
          check: "storage",
          status: "fail",
          ...where,
          message: `hostPath ${p} is not on the NVMe the system node mounts (${nvme.flat().join(", ") || "no RAID0 local storage"}): the data lands on the EBS root volume`,
        });
    }
  }

  const classes = new Map<string, boolean>();
  for (const { object } of ctx.objects) {
    if (object.kind === "StorageClass")
      classes.set(String(object.metadata.name), object.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
  }
  const eksClasses = ctx.mode === "helm-only" ? [] : EKS_STORAGE_CLASSES;
  const hasDefault = [...classes.values()].some(Boolean);
  const claims: { subject: string; address: string; chart: string; className?: string }[] = [];
  for (const { object, origin } of ctx.objects) {
    if (object.kind === "PersistentVolumeClaim")
      claims.push({
        subject: `PersistentVolumeClaim ${object.metadata.namespace}/${object.metadata.name}`,
        address: origin.address,
        chart: origin.chart,
        className: object.spec?.storageClassName,
      });
    if (object.kind === "StatefulSet") {
      for (const t of Array.isArray(object.spec?.volumeClaimTemplates) ? object.spec.volumeClaimTemplates : []) {
        if (isRecord(t))
          claims.push({
            subject: `StatefulSet ${object.metadata.namespace}/${object.metadata.name} claim ${t.metadata?.name}`,
            address: origin.address,
            chart: origin.chart,
            className: t.spec?.storageClassName,
          });
      }
    }
  }
  for (const c of claims) {
    const where = { subject: c.subject, address: c.address, chart: c.chart };
    if (c.className === undefined || c.className === null) {
      findings.push(
        hasDefault
          ? { check: "storage", status: "pass", ...where, message: "no storageClassName: the default StorageClass the stacks create applies" }
          : {
              check: "storage",
              status: ctx.mode === "fresh-cluster" ? "fail" : "unknown",
              ...where,
              message: "no storageClassName and no StorageClass the stacks create is the default: the claim stays Pending",
            },
      );
    } else if (classes.has(c.className))
      findings.push({ check: "storage", status: "pass", ...where, message: `StorageClass ${c.className} is created by the stacks` });
    else if (eksClasses.includes(c.className))
      findings.push({ check: "storage", status: "pass", ...where, message: `StorageClass ${c.className} comes with every EKS cluster` });
    else
      findings.push({
        check: "storage",
        status: ctx.mode === "fresh-cluster" ? "fail" : "unknown",
        ...where,
        message: `StorageClass ${c.className} is not created by the stacks${ctx.mode === "fresh-cluster" ? "" : " (the platform team may provide it: a prerequisite)"}`,
      });
  }
  return findings;
}
