import { TerraformOutput, Token } from "cdktf";
import { efsCreationToken, roleName } from "../../config/naming";
import type { ClusterAddon } from "../addon";
import { SharedFileSystem } from "./aws";
import { EfsStorageClass } from "./storage-class";
import { EFS_CATALOG } from "./catalog";

/**
 * The shared EFS file system with its CSI driver (AWS), and the StorageClass
 * for shared volumes on it (Kubernetes), which finds the file system by its
 * creation token.
 */
export const EFS: ClusterAddon<SharedFileSystem, EfsStorageClass> = {
  catalog: EFS_CATALOG,

  aws({ stack, env, cluster, computeReady }) {
    const subnets = cluster.workerSubnetIds;
    const fileSystem = new SharedFileSystem(stack, "efs", {
      cluster,
      creationToken: efsCreationToken(env),
      namePrefix: env.resourcePrefix,
      accountId: env.accountId,
      partition: env.partition,
      throughputMode: env.efs.throughputMode,
      // Fresh clusters have one worker subnet per configured zone, in that order.
      subnetKeys: !Token.isUnresolved(subnets) && subnets.length === env.availabilityZones.length ? env.availabilityZones : undefined,
      protected: env.protected,
      csiDriverRoleName: roleName(env, "efs-csi-driver"),
      csiDriverAddonVersion: env.cluster.addonVersions.efsCsiDriver,
      csiDriverDependsOn: computeReady,
    });
    new TerraformOutput(stack, "efs_file_system_id", { value: fileSystem.fileSystem.id });
    new TerraformOutput(stack, "efs_csi_driver_role_arn", { value: fileSystem.csiDriverRole.arn });
    return fileSystem;
  },

  helm({ stack, env }) {
    return new EfsStorageClass(stack, "efs-storage-class", {
      name: env.efs.storageClassName,
      creationToken: efsCreationToken(env),
      retain: env.protected,
    });
  },
};
