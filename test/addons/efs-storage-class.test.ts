import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { onlyResource } from "../helpers/terraform-json";

test("efs-ap provisioning on the shared file system, found by its deterministic creation token", () => {
  const helm = synthExample("dev").helm;
  const storageClass = onlyResource(helm, "kubernetes_storage_class_v1");
  expect(storageClass.metadata.name).toBe("efs-sc");
  expect(storageClass.storage_provisioner).toBe("efs.csi.aws.com");
  expect(storageClass.parameters).toMatchObject({ provisioningMode: "efs-ap", directoryPerms: "700" });
  expect(storageClass.parameters.fileSystemId).toBe("${data.aws_efs_file_system.efs_storage_class_file_system.file_system_id}");
  expect(helm.data!.aws_efs_file_system.efs_storage_class_file_system.creation_token).toBe("layer-dev-shared");
  expect(storageClass.reclaim_policy).toBe("Delete");
});

test("the name comes from config; protected environments retain volume data", () => {
  const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}efs:\n  storageClassName: shared-files\n`);
  expect(onlyResource(synthEnvironment(env).helm, "kubernetes_storage_class_v1").metadata.name).toBe("shared-files");
  expect(onlyResource(synthExample("prod").helm, "kubernetes_storage_class_v1").reclaim_policy).toBe("Retain");
});

test("EFS-04: no Terraform-managed access points; the CSI driver creates one per volume under /dynamic with 700, never at /", () => {
  const dev = synthExample("dev");
  expect(dev.aws?.resource?.aws_efs_access_point).toBeUndefined();
  expect(dev.helm.resource?.aws_efs_access_point).toBeUndefined();
  const parameters = onlyResource(dev.helm, "kubernetes_storage_class_v1").parameters;
  expect(parameters.basePath).not.toBe("/");
  expect(parameters.basePath).toMatch(/^\/[a-z]/);
  expect(parameters.directoryPerms).toBe("700");
});
