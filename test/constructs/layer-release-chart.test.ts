/**
 * The `layer` release through the product's real chart (chart layer 0.1.0 in
 * ../shared/reference/charts/hev-layer-0.1.0) and the real helm binary: for
 * every example environment the values the Helm stack passes, with its
 * write-only values applied the way the helm provider applies `set_wo`
 * (parsed like --set-string, after the release's escaping), render; every
 * key we set is a key of the chart; the custom resources validate against
 * the chart's CRDs; no image is empty; and every IRSA-annotated
 * ServiceAccount is a subject of its role's trust policy.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { exampleEnvironmentNames, synthExample } from "../helpers/synth";
import { block, layerRelease, resourcesOfType } from "../helpers/terraform-json";
import { announceHelmSkip, findHelm, runHelm } from "../helpers/helm-binary";
import { describeWithReference } from "../helpers/reference";
import { unknownValueKeys } from "../helpers/values-keys";
import { loadCrdValidator } from "../helpers/crd-validator";

const helm = findHelm();
/** A secret-shaped placeholder with the two characters Helm's --set parser treats specially. */
const PLACEHOLDER = (name: string) => `placeholder-${name},with\\backslash`;
/** What the release's `replace(replace(v, "\\", "\\\\"), ",", "\\,")` makes of a value. */
const escapeForSet = (value: string) => value.replace(/\\/g, "\\\\").replace(/,/g, "\\,");

interface Rendered {
  readonly status: number;
  readonly stderr: string;
  readonly objects: any[];
}

function render(chart: string, namespace: string, valuesYaml: string, setWo: Array<{ name: string }>, extra: string[] = []): Rendered {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-chart-"));
  try {
    fs.writeFileSync(path.join(dir, "values.yaml"), valuesYaml);
    const sets = setWo.flatMap((s) => ["--set-string", `${s.name}=${escapeForSet(PLACEHOLDER(s.name))}`]);
    const run = runHelm(helm as string, ["template", "layer", chart, "--namespace", namespace, "-f", path.join(dir, "values.yaml"), ...sets, ...extra]);
    const objects =
      run.status === 0
        ? parseAllDocuments(run.stdout)
            .map((d) => d.toJS())
            .filter(Boolean)
        : [];
    return { status: run.status, stderr: run.stderr, objects };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The part of a custom resource its CRD schema describes (the API server handles apiVersion, kind, metadata). */
const body = ({ apiVersion: _a, kind: _k, metadata: _m, ...rest }: any) => rest;
const podSpec = (o: any) => (o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec);
const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]);

if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`helm checks skipped: ${helm.skip}`, () => undefined);
} else {
  describeWithReference("the product chart renders every example environment's release", "charts/hev-layer-0.1.0/Chart.yaml", (chartFile) => {
    const chart = path.dirname(chartFile);
    const crdFile = path.join(chart, "crds/hevlayer.com_crds.yaml");
    const crds = fs
      .readFileSync(crdFile, "utf8")
      .split(/^---$/m)
      .filter((d) => d.includes("CustomResourceDefinition"));
    const validators = new Map(
      crds.map((doc, i) => {
        const file = path.join(os.tmpdir(), `layer-crd-${process.pid}-${i}.yaml`);
        fs.writeFileSync(file, doc);
        const version = require("yaml")
          .parse(doc)
          .spec.versions.find((v: any) => v.storage).name;
        const validator = loadCrdValidator(file, version);
        fs.rmSync(file);
        return [validator.kind, validator];
      }),
    );

    describe.each(exampleEnvironmentNames())("%s", (name) => {
      const { env, helm: stack, aws } = synthExample(name);
      const release = layerRelease(stack);
      const rendered = render(chart, env.release.namespace, release.values[0], release.set_wo ?? []);
      const byKind = (kind: string) => rendered.objects.filter((o) => o.kind === kind);

      test("helm template succeeds", () => {
        expect(rendered.stderr).toBe("");
        expect(rendered.status).toBe(0);
        expect(rendered.objects.length).toBeGreaterThan(30);
      });

      test("every key we set, values and write-only values, is a key of the chart's values.yaml", () => {
        const values = require("yaml").parse(release.values[0]);
        const setWoKeys = (release.set_wo ?? []).map((s: any) => s.name).filter((n: string) => !n.includes("["));
        expect(unknownValueKeys(values, path.join(chart, "values.yaml"), ["documentCache.resources"])).toEqual([]);
        const all = new Set(
          require("../../constructs/helm-values").valueKeyPaths(require("yaml").parse(fs.readFileSync(path.join(chart, "values.yaml"), "utf8"))),
        );
        for (const key of setWoKeys) expect({ key, known: all.has(key) }).toEqual({ key, known: true });
      });

      test("the write-only values land where the chart reads them, unmangled by Helm's --set parser", () => {
        const secret = byKind("Secret").find((s) => s.metadata.name === "layer");
        expect(secret.stringData["turbopuffer-api-key"]).toBe(PLACEHOLDER("vectorStore.credential.apiKey"));
        expect(secret.stringData["dashboard-basic-auth-password"]).toBe(PLACEHOLDER("dashboard.basicAuth.password"));
      });

      test("custom resources validate against the chart's CRDs", () => {
        const custom = rendered.objects.filter((o) => o.apiVersion?.startsWith("hevlayer.com/"));
        expect(custom.map((o) => o.kind)).toContain("VectorStore");
        for (const object of custom) {
          const validator = validators.get(object.kind);
          expect({ kind: object.kind, known: Boolean(validator) }).toEqual({ kind: object.kind, known: true });
          expect({ kind: object.kind, problems: validator!.validate(body(object)) }).toEqual({ kind: object.kind, problems: [] });
        }
        // The check can fail: a field the CRD does not have is reported.
        const store = custom.find((o) => o.kind === "VectorStore");
        expect(validators.get("VectorStore")!.validate(body({ ...store, spec: { ...store.spec, endpoints: store.spec.endpoint } }))).toContain(
          '/spec: must NOT have additional properties "endpoints"',
        );
      });

      test("no container image is empty", () => {
        const images = rendered.objects
          .filter((o) => WORKLOADS.has(o.kind))
          .flatMap((o) =>
            [...(podSpec(o).initContainers ?? []), ...podSpec(o).containers].map((c: any) => `${o.kind}/${o.metadata.name}/${c.name}=${c.image ?? ""}`),
          );
        expect(images.length).toBeGreaterThan(5);
        expect(images.filter((i) => i.endsWith("="))).toEqual([]);
      });

      test("the gateway and the operator get the environment's bucket and region", () => {
        // The operator names them HEVLAYER_SNAPSHOT_* (templates/operator-deployment.yaml).
        for (const [name, prefix] of [
          ["layer-gateway", "S3_"],
          ["layer-operator", "HEVLAYER_SNAPSHOT_"],
        ]) {
          const deployment = rendered.objects.find((d) => WORKLOADS.has(d.kind) && d.metadata.name === name);
          const envVars = Object.fromEntries(deployment.spec.template.spec.containers.flatMap((c: any) => c.env ?? []).map((e: any) => [e.name, e.value]));
          expect({ name, bucket: envVars[`${prefix}BUCKET`], region: envVars[`${prefix}REGION`] }).toEqual({
            name,
            bucket: env.mode === "helm-only" ? env.externalAws!.bucket : `${env.resourcePrefix}-data-${env.accountId}-${env.region}`,
            region: env.region,
          });
        }
      });

      test("gateway, operator, dashboard and document cache are rendered", () => {
        expect(byKind("Deployment").map((d) => d.metadata.name)).toEqual(expect.arrayContaining(["layer-dashboard", "layer-operator"]));
        expect(byKind("StatefulSet").map((d) => d.metadata.name)).toEqual(expect.arrayContaining(["layer-gateway", "layer-document-cache"]));
      });

      // That helm adopts it: test/constructs/layer-release-namespace.test.ts.
      test("the chart renders its own Namespace, the one this project creates first with Helm's ownership metadata", () => {
        expect(byKind("Namespace").map((n) => n.metadata.name)).toEqual([env.release.namespace]);
        const namespace = block<any>(stack.resource!.kubernetes_namespace_v1.layer_release_namespace.metadata)!;
        expect(namespace.annotations).toEqual({ "meta.helm.sh/release-name": release.name, "meta.helm.sh/release-namespace": env.release.namespace });
        expect(namespace.labels).toEqual({ "app.kubernetes.io/managed-by": "Helm" });
      });

      const roles = Object.values(resourcesOfType(aws, "aws_iam_role")) as any[];
      const annotated = () => byKind("ServiceAccount").filter((sa) => sa.metadata.annotations?.["eks.amazonaws.com/role-arn"]);
      if (roles.length > 0) {
        test("every IRSA-annotated ServiceAccount is a subject of its role's trust policy", () => {
          expect(annotated().length).toBeGreaterThanOrEqual(3);
          for (const sa of annotated()) {
            const roleName = sa.metadata.annotations["eks.amazonaws.com/role-arn"].split("/").pop();
            const role = roles.find((r) => r.name === roleName);
            const trust = JSON.parse(role.assume_role_policy);
            const subjects = trust.Statement.flatMap((s: any) =>
              Object.entries<any>(s.Condition?.StringEquals ?? {})
                .filter(([k]) => k.endsWith(":sub"))
                .flatMap(([, v]) => [v].flat()),
            );
            expect({ sa: sa.metadata.name, subjects }).toEqual({
              sa: sa.metadata.name,
              subjects: expect.arrayContaining([`system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`]),
            });
          }
        });
      } else {
        test("every IRSA-annotated ServiceAccount carries a role of externalAws", () => {
          const arns = [env.externalAws!.gatewayRoleArn, env.externalAws!.dashboardRoleArn, env.externalAws!.operatorRoleArn];
          for (const sa of annotated()) expect(arns).toContain(sa.metadata.annotations["eks.amazonaws.com/role-arn"]);
        });
      }
    });

    describe("the chart defect keys mode works around", () => {
      const dev = layerRelease(synthExample("dev").helm);
      const withKeys = (count: number) => {
        const values = require("yaml").parse(dev.values[0]);
        values.vectorStore.inboundAuth = {
          mode: "keys",
          workerSecretName: "layer",
          workerSecretKey: "layer-inbound-k0-api-key",
          keys: Array.from({ length: count }, (_, i) => ({ name: `k${i}`, scopes: ["read", "write"] })),
        };
        const sets = Array.from({ length: count }, (_, i) => ({ name: `vectorStore.inboundAuth.keys[${i}].apiKey` }));
        return render(chart, "layer", require("yaml").stringify(values), [...dev.set_wo, ...sets]);
      };

      test("one key renders, with its apiKey in the release Secret", () => {
        const one = withKeys(1);
        expect(one.stderr).toBe("");
        const store = one.objects.find((o) => o.kind === "VectorStore");
        expect(store.spec.inboundAuth.keys).toEqual([{ name: "k0", scopes: ["read", "write"], secretRef: { name: "layer", key: "layer-inbound-k0-api-key" } }]);
      });

      test("two keys fail with a YAML parse error: the reason the project refuses them", () => {
        const two = withKeys(2);
        expect(two.status).not.toBe(0);
        expect(two.stderr).toMatch(/vectorstore\.yaml|yaml|YAML/);
      });
    });
  });
}

/** Every object key path the values-file schema accepts (arrays and records are not descended). */
function schemaKeyPaths(at: string[] = []): string[] {
  const { knownKeysAt } = require("../../config/schema-keys");
  const { ValuesFileSchema } = require("../../config/release-values");
  return knownKeysAt(ValuesFileSchema, at).flatMap((key: string) => [[...at, key].join("."), ...schemaKeyPaths([...at, key])]);
}

describeWithReference("the values-file schema is a subset of the chart's values.yaml", "charts/hev-layer-0.1.0/values.yaml", (chartValues) => {
  const chartKeys = new Set(require("../../constructs/helm-values").valueKeyPaths(require("yaml").parse(fs.readFileSync(chartValues, "utf8"))));

  test("every key helm-values/<env>.yaml may set is a key of the chart (the chart is the contract)", () => {
    const keys = schemaKeyPaths();
    expect(keys.length).toBeGreaterThan(60);
    // Keys below a list entry (vectorStore.inboundAuth.keys[], rbac.keyRoleBindings.*[]) are shaped by the chart's comments and templates.
    const checked = keys.filter((k) => !/^(vectorStore\.inboundAuth\.keys|rbac\.keyRoleBindings\.(admin|viewer))\./.test(k));
    expect(checked.filter((k) => !chartKeys.has(k))).toEqual([]);
  });

  test("the check can fail: a key the chart lacks is reported", () => {
    expect(["operator.infraRules", "gateway.queue.persistence.hostPath"].filter((k) => !chartKeys.has(k))).toEqual(["operator.infraRules"]);
  });
});

/** One value in nearly every section the values file offers: the shapes we accept are shapes the chart renders. */
const EVERY_SECTION = `priorityClasses: {create: true}
gateway:
  replicas: 1
  queue: {embedded: true, persistence: {type: hostPath, hostPath: /mnt/nvme/layer-gateway-pg, size: 5Gi}}
  cost: {costExplorerEnabled: false, site: main, cacheTtlSeconds: 3600}
  indexNamespace: layer-index
  indexConfig: {enabled: true}
  indexGc: {enabled: false}
  consistency: {stablePollIntervalMs: 30000}
  shardCount: 32
  computeSpecAccess: {enabled: true, mutate: false}
operator:
  replicas: 1
  watchNamespace: ""
  maxReplicasCeiling: 50
  discovery: {enabled: true, intervalSeconds: 120, pageSize: 500, prefix: "", indexNamespace: layer-index}
dashboard:
  replicas: 1
  basicAuth: {user: ops}
  kubeAccess: {enabled: true}
  writeAccess: {enabled: false}
  ingress: {enabled: true, host: dashboard.example.com}
documentCache:
  enabled: true
  image: aerospike/aerospike-server:8.0.0.8
  autoRestartOnStopWrites: false
  storage: {hostPath: /mnt/k8s-disks/0/document-cache, pvc: {enabled: false, size: 80Gi, storageClass: gp3}, fileSize: 32G, resetOnStart: true}
  resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 2Gi}}
localStorage: {enabled: true, storageClassName: local-path, defaultClass: false, rootPath: /mnt/k8s-disks/0/local-path-provisioner}
metrics:
  enabled: true
  embedded: true
  retentionPeriod: 14d
  scrapeIntervalSeconds: 60
  storage: {storageClassName: local-path, size: 20Gi, hostPath: /mnt/nvme/layer-gateway-vm}
  backup: {enabled: true, s3Prefix: vm-backups, intervalHours: 2}
license: {existingSecret: hevlayer-license, secretKey: license}
vectorStore:
  endpoint: {url: "https://gcp-us-central1.turbopuffer.com", region: gcp-us-central1}
  turbopuffer: {orgId: org-123}
  credential: {secretKey: turbopuffer-api-key}
  inboundAuth:
    mode: keys
    keys:
      - {name: pipelines, scopes: [read, write, admin]}
rbac:
  keyRoleBindings:
    admin: [{kind: Group, name: platform-admins}]
    viewer: [{kind: ServiceAccount, name: reader, namespace: tools}]
`;

if (typeof helm === "string") {
  describeWithReference("a values file that sets every section", "charts/hev-layer-0.1.0/Chart.yaml", (chartFile) => {
    test("validates, renders with the real chart, and lands in the rendered objects", () => {
      const { environmentWithValues, MINIMAL_ENVIRONMENT, synthEnvironment } = require("../helpers/synth");
      const env = environmentWithValues(MINIMAL_ENVIRONMENT, EVERY_SECTION, "dev");
      const release = layerRelease(synthEnvironment(env).helm);
      const rendered = render(path.dirname(chartFile), "layer", release.values[0], release.set_wo);
      expect(rendered.stderr).toBe("");
      expect(rendered.status).toBe(0);
      const store = rendered.objects.find((o) => o.kind === "VectorStore");
      expect(store.spec.endpoint).toEqual({ url: "https://gcp-us-central1.turbopuffer.com", region: "gcp-us-central1" });
      expect(rendered.objects.filter((o) => o.kind === "Ingress").map((o) => o.spec.rules[0].host)).toEqual(["dashboard.example.com"]);
      expect(rendered.objects.find((o) => o.kind === "Secret" && o.metadata.name === "hevlayer-license")).toBeUndefined();
    });
  });
}
