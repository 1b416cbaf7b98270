import type { AddonCatalogEntry } from "../catalog";

/** The EFS CSI driver's EKS add-on; its schema takes `controller.tolerations` (no node selector). */
export const EFS_CSI_DRIVER_ADDON_NAME = "aws-efs-csi-driver";

export const EFS_CATALOG: AddonCatalogEntry = {
  name: "efs",
  description: "Shared EFS file system, the EFS CSI driver (EKS add-on) and its StorageClass",
  switch: "efs.enabled",
  charts: [],
  enabled: (env) => env.efs.enabled,
  // The StorageClass is a kubernetes resource and the driver an EKS add-on: no Helm release.
  releases: () => [],
  managedAddons: [{ addonName: EFS_CSI_DRIVER_ADDON_NAME, tolerationsPath: "controller.tolerations" }],
};
