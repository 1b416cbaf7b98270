/**
 * Kubernetes objects the Helm stack creates itself (kubernetes_* resources
 * of the kubernetes provider), in the shape the API server would hold them.
 */
import { KubeObject, RenderedObject, StackJson, blocks, isRecord } from "./model";

const KINDS: Record<string, { apiVersion: string; kind: string }> = {
  kubernetes_storage_class_v1: { apiVersion: "storage.k8s.io/v1", kind: "StorageClass" },
  kubernetes_storage_class: { apiVersion: "storage.k8s.io/v1", kind: "StorageClass" },
  kubernetes_secret_v1: { apiVersion: "v1", kind: "Secret" },
  kubernetes_secret: { apiVersion: "v1", kind: "Secret" },
  kubernetes_config_map_v1: { apiVersion: "v1", kind: "ConfigMap" },
  kubernetes_config_map: { apiVersion: "v1", kind: "ConfigMap" },
  kubernetes_namespace_v1: { apiVersion: "v1", kind: "Namespace" },
  kubernetes_namespace: { apiVersion: "v1", kind: "Namespace" },
  kubernetes_service_account_v1: { apiVersion: "v1", kind: "ServiceAccount" },
  kubernetes_service_account: { apiVersion: "v1", kind: "ServiceAccount" },
  kubernetes_persistent_volume_claim_v1: { apiVersion: "v1", kind: "PersistentVolumeClaim" },
};

export function directObjects(helm: StackJson | undefined): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (const [type, resources] of Object.entries(helm?.resource ?? {})) {
    for (const [name, body] of Object.entries(resources ?? {})) {
      const address = `${type}.${name}`;
      if (type === "kubernetes_manifest" && isRecord(body.manifest)) {
        out.push({ object: body.manifest as KubeObject, origin: { address, chart: type } });
        continue;
      }
      const shape = KINDS[type];
      if (!shape) continue;
      const metadata = blocks(body.metadata)[0] ?? {};
      const object: KubeObject = {
        ...shape,
        metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels, annotations: metadata.annotations },
      };
      if (shape.kind === "StorageClass") Object.assign(object, { provisioner: body.storage_provisioner, parameters: body.parameters });
      if (shape.kind === "PersistentVolumeClaim") object.spec = { storageClassName: blocks(body.spec)[0]?.storage_class_name };
      out.push({ object, origin: { address, chart: type } });
    }
  }
  return out;
}
