/**
 * EC2 instance type names and the families each pool may use.
 * Syntax: `<family>.<size>` (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html),
 * e.g. i4i.large, c6id.metal, u-6tb1.112xlarge.
 */
export const INSTANCE_TYPE = /^([a-z][a-z0-9-]*[0-9][a-z0-9-]*)\.(nano|micro|small|medium|large|([1-9][0-9]*)?xlarge|metal(-[1-9][0-9]*xl)?)$/;

/** A family name as Karpenter's `karpenter.k8s.aws/instance-family` label gives it (c7i, g6e, u-6tb1). */
export const INSTANCE_FAMILY = /^[a-z][a-z0-9-]*[0-9][a-z0-9-]*$/;

/**
 * x86_64 families with NVMe instance store. The system node group runs the
 * AL2023 x86_64 AMI and nodeadm assembles the instance-store NVMe as RAID0
 * for the kubelet and the document cache (constructs/system-node-group.ts),
 * so a type without instance store, or an Arm type, cannot be a system node.
 * Source: https://docs.aws.amazon.com/ec2/latest/instancetypes/ (instance store specifications).
 */
export const NVME_X86_FAMILIES = [
  "i3",
  "i3en",
  "i4i",
  "i7i",
  "i7ie",
  "c5d",
  "c5ad",
  "c6id",
  "m5d",
  "m5ad",
  "m5dn",
  "m6id",
  "m6idn",
  "r5d",
  "r5ad",
  "r5dn",
  "r6id",
  "r6idn",
  "x2idn",
  "x2iedn",
  "z1d",
] as const;

/** The family of an instance type name, or undefined when it is not one. */
export function instanceFamilyOf(instanceType: string): string | undefined {
  return INSTANCE_TYPE.exec(instanceType)?.[1];
}

/**
 * Graviton (Arm) families carry a `g` after the generation digit (c7g, m6gd,
 * im4gn, is4gen, t4g); the GPU families start with one instead (g5, g6e).
 */
export function isArmFamily(family: string): boolean {
  return family === "a1" || /^[a-z]+[0-9]+[a-z]*g/.test(family);
}
