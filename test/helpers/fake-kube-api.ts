/**
 * A minimal Kubernetes API for helm's install path: discovery for the kinds
 * the product chart renders, an empty release history, one existing
 * Namespace (with the metadata a test gives it) and 404 for every other
 * object. Enough for `helm install --dry-run=server`, which runs helm's real
 * check of existing objects before it would create anything.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";

const resource = (name: string, kind: string, namespaced: boolean) => ({
  name,
  singularName: "",
  namespaced,
  kind,
  verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
});

const GROUPS: Record<string, ReturnType<typeof resource>[]> = {
  v1: [
    resource("namespaces", "Namespace", false),
    resource("secrets", "Secret", true),
    resource("configmaps", "ConfigMap", true),
    resource("services", "Service", true),
    resource("serviceaccounts", "ServiceAccount", true),
    resource("persistentvolumeclaims", "PersistentVolumeClaim", true),
  ],
  "apps/v1": [resource("deployments", "Deployment", true), resource("statefulsets", "StatefulSet", true), resource("daemonsets", "DaemonSet", true)],
  "batch/v1": [resource("jobs", "Job", true), resource("cronjobs", "CronJob", true)],
  "rbac.authorization.k8s.io/v1": [
    resource("clusterroles", "ClusterRole", false),
    resource("clusterrolebindings", "ClusterRoleBinding", false),
    resource("roles", "Role", true),
    resource("rolebindings", "RoleBinding", true),
  ],
  "scheduling.k8s.io/v1": [resource("priorityclasses", "PriorityClass", false)],
  "storage.k8s.io/v1": [resource("storageclasses", "StorageClass", false)],
  "networking.k8s.io/v1": [resource("ingresses", "Ingress", true), resource("networkpolicies", "NetworkPolicy", true)],
  "keda.sh/v1alpha1": [resource("scaledobjects", "ScaledObject", true), resource("triggerauthentications", "TriggerAuthentication", true)],
  "hevlayer.com/v1alpha1": [resource("vectorstores", "VectorStore", true), resource("indices", "Index", true), resource("apikeys", "ApiKey", true)],
  "karpenter.sh/v1": [resource("nodepools", "NodePool", false)],
  "karpenter.k8s.aws/v1": [resource("ec2nodeclasses", "EC2NodeClass", false)],
};

export interface FakeKubeApi {
  /** A kubeconfig file pointing at the fake API. */
  readonly kubeconfig: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startFakeKubeApi(namespace: {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}): Promise<FakeKubeApi> {
  const requests: string[] = [];
  const send = (res: http.ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? "/", "http://fake").pathname;
    requests.push(`${req.method} ${p}`);
    if (p === "/version") return send(res, 200, { major: "1", minor: "35", gitVersion: "v1.35.0", platform: "linux/amd64" });
    if (p === "/api")
      return send(res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }] });
    if (p === "/apis") {
      const groups = Object.keys(GROUPS)
        .filter((gv) => gv.includes("/"))
        .map((gv) => {
          const [group, version] = gv.split("/");
          return { name: group, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
        });
      return send(res, 200, { kind: "APIGroupList", apiVersion: "v1", groups });
    }
    const groupVersion = p === "/api/v1" ? "v1" : /^\/apis\/([^/]+\/[^/]+)$/.exec(p)?.[1];
    if (groupVersion && GROUPS[groupVersion])
      return send(res, 200, { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources: GROUPS[groupVersion] });
    // Helm's release history (its storage driver lists Secrets by label): none yet.
    if (req.method === "GET" && p === `/api/v1/namespaces/${namespace.name}/secrets`)
      return send(res, 200, { kind: "SecretList", apiVersion: "v1", metadata: {}, items: [] });
    if (req.method === "GET" && p === `/api/v1/namespaces/${namespace.name}`) {
      const metadata = {
        name: namespace.name,
        uid: "00000000-0000-0000-0000-000000000001",
        resourceVersion: "1",
        labels: namespace.labels,
        annotations: namespace.annotations,
      };
      return send(res, 200, { kind: "Namespace", apiVersion: "v1", metadata, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
    }
    return send(res, 404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: `${p} not found` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-fake-kube-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  fs.writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: fake, cluster: {server: "http://127.0.0.1:${port}"}}]`,
      "users: [{name: fake, user: {token: fake}}]",
      "contexts: [{name: fake, context: {cluster: fake, user: fake}}]",
      "current-context: fake",
      "",
    ].join("\n"),
  );
  return {
    kubeconfig,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        fs.rmSync(dir, { recursive: true, force: true });
        server.close(() => resolve());
      }),
  };
}
