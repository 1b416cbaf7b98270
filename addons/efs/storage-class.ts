import { Construct } from "constructs";
import { DataAwsEfsFileSystem } from "@cdktf/provider-aws/lib/data-aws-efs-file-system";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";

export interface EfsStorageClassProps {
  readonly name: string;
  /** The shared file system's creation token (config/naming.ts); its id is not deterministic, so it is read. */
  readonly creationToken: string;
  /** Keep volumes' data when their claim is deleted. @default false */
  readonly retain?: boolean;
  /** Permissions of each volume's access point root. @default "700" */
  readonly directoryPerms?: string;
}

/**
 * A StorageClass for shared volumes on the environment's EFS file system:
 * the EFS CSI driver creates one access point per volume (`efs-ap`).
 */
export class EfsStorageClass extends Construct {
  readonly fileSystem: DataAwsEfsFileSystem;
  readonly storageClass: StorageClassV1;

  constructor(scope: Construct, id: string, props: EfsStorageClassProps) {
    super(scope, id);
    this.fileSystem = new DataAwsEfsFileSystem(this, "file_system", { creationToken: props.creationToken });
    this.storageClass = new StorageClassV1(this, "default", {
      metadata: { name: props.name },
      storageProvisioner: "efs.csi.aws.com",
      reclaimPolicy: props.retain ? "Retain" : "Delete",
      volumeBindingMode: "Immediate",
      parameters: {
        provisioningMode: "efs-ap",
        fileSystemId: this.fileSystem.fileSystemId,
        directoryPerms: props.directoryPerms ?? "700",
        basePath: "/dynamic",
      },
    });
  }
}
