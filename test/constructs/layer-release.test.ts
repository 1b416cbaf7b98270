/**
 * The `layer` release as synthesized: chart source, namespace, values, and
 * secrets only as write-only values from ephemeral variables (SEC-01..03).
 */
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { LayerRelease } from "../../constructs/layer-release";
import { dataBucketName, repositoryUrl, roleArn } from "../../config/naming";
import { gatewayImageReference } from "../../config/release-values";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, environmentWithValues, synthEnvironment, synthExample } from "../helpers/synth";
import { block, layerRelease } from "../helpers/terraform-json";

const DEV = synthExample("dev").helm;
const release = layerRelease(DEV);


describe("the layer release in dev", () => {
  test("is release layer in namespace layer, created with the release", () => {
    expect(release.name).toBe("layer");
    expect(release.namespace).toBe("layer");
    expect(release.create_namespace).toBe(true);
    expect(release.atomic).toBe(true);
  });

  test("the local chart path is relative to cdktf.out/stacks/<stack>/, never absolute", () => {
    expect(release.chart).toBe("../../../../infra/helm/layer");
    expect(release.version).toBeUndefined();
    expect(release.repository).toBeUndefined();
  });

  test("SEC-03: the upstream key is an ephemeral, sensitive variable without a default", () => {
    expect(DEV.variable?.vector_store_api_key).toEqual({
      type: "string",
      sensitive: true,
      ephemeral: true,
      nullable: false,
      description: expect.stringContaining("TF_VAR_vector_store_api_key"),
    });
    expect(DEV.variable?.vector_store_api_key).not.toHaveProperty("default");
  });

  test("SEC-02: it reaches the chart only through set_wo, with set_wo_revision", () => {
    expect(release.set_wo).toEqual([{ name: "vectorStore.credential.apiKey", type: "string", value: "${var.vector_store_api_key}" }]);
    expect(release.set_wo_revision).toBe(1);
    expect(release.set_sensitive).toBeUndefined();
  });

  test("SEC-01: values, set and set_list never reference a secret variable", () => {
    const plain = JSON.stringify({ values: release.values, set: release.set, set_list: release.set_list });
    expect(plain).not.toMatch(/var\./);
    expect(plain).not.toMatch(/apiKey/);
  });

  test("values are one YAML document", () => {
    expect(release.values).toHaveLength(1);
    expect(release.values[0]).toMatch(/^dashboard:\n/);
  });
});

describe("the chart and the secrets follow config", () => {
  test("an OCI chart is pinned to its exact version", () => {
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}release:\n  chart:\n    repository: oci://registry.example.com/hev\n    chart: layer\n    version: 1.4.2\n`, "dev");
    const r = layerRelease(synthEnvironment(env).helm);
    expect([r.repository, r.chart, r.version]).toEqual(["oci://registry.example.com/hev", "layer", "1.4.2"]);
  });

  test("bumping release.secretsRevision bumps set_wo_revision (rotation)", () => {
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}release:\n  secretsRevision: 4\n`, "dev");
    expect(layerRelease(synthEnvironment(env).helm).set_wo_revision).toBe(4);
  });

  test("secrets-manager mode: no variables and no set_wo; values reference the synced Secrets", () => {
    const helm = synthExample("prod").helm;
    const r = layerRelease(helm);
    expect(helm.variable).toBeUndefined();
    expect(r.set_wo).toBeUndefined();
    expect(r.values[0]).toContain("name: layer-vector-store\n");
  });

  test("a store whose credential is an existing Secret needs no variable", () => {
    const helm = synthExample("helm-only").helm;
    expect(Object.keys(helm.variable ?? {})).toEqual(["vector_store_eu_archive_api_key"]);
  });

  test("release.enabled: false leaves the release out", () => {
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}release:\n  enabled: false\n`, "dev");
    expect(synthEnvironment(env).helm.resource?.helm_release?.layer_release).toBeUndefined();
  });

  test("keys mode: one variable and one set_wo per key supplied at deploy time", () => {
    const env = environmentWithValues(
      MINIMAL_ENVIRONMENT,
      "vectorStore:\n  inboundAuth:\n    mode: keys\n    keys:\n      - {name: admin, scopes: [admin]}\n      - {name: pipelines, scopes: [write], worker: true}\n",
      "dev",
    );
    const helm = synthEnvironment(env).helm;
    expect(Object.keys(helm.variable ?? {}).sort()).toEqual(["vector_store_api_key", "vector_store_inbound_key_admin", "vector_store_inbound_key_pipelines"]);
    expect(layerRelease(helm).set_wo.map((s: any) => s.name)).toEqual([
      "vectorStore.credential.apiKey",
      "vectorStore.inboundAuth.keys[0].apiKey",
      "vectorStore.inboundAuth.keys[1].apiKey",
    ]);
  });
});

describe("LayerRelease", () => {
  test("waits for what it depends on, including dependencies added later", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    const pools = new NamespaceV1(stack, "pools", { metadata: { name: "pools" } });
    const ingress = new NamespaceV1(stack, "ingress", { metadata: { name: "ingress" } });
    const r = new LayerRelease(stack, "layer", { chart: { path: "chart" }, valuesYaml: "{}\n", dependsOn: [pools] });
    r.addDependency(ingress);
    const json = JSON.parse(Testing.synth(stack));
    const body: any = Object.values(json.resource.helm_release)[0];
    expect(body.depends_on).toEqual([`kubernetes_namespace_v1.${pools.friendlyUniqueId}`, `kubernetes_namespace_v1.${ingress.friendlyUniqueId}`]);
    expect(block(body.set_wo)).toBeUndefined();
  });
});

describe.each(["dev", "prod", "helm-only"])("the release of %s carries the full typed values", (name) => {
  const r = layerRelease(synthExample(name).helm);
  const values = parse(r.values[0]);
  const setWo = new Set((r.set_wo ?? []).map((s: any) => s.name));

  const env = synthExample(name).env;
  const at = (key: string) => key.split(".").reduce((o: any, k) => o?.[k], values);

  test("the AWS facts are wired from this environment's own resources (or its externalAws)", () => {
    const ext = env.externalAws;
    expect({
      "s3.bucket": at("s3.bucket"),
      "serviceAccount.roleArn": at("serviceAccount.roleArn"),
      "gateway.image": at("gateway.image"),
    }).toEqual({
      "s3.bucket": ext?.bucket ?? dataBucketName(env),
      "serviceAccount.roleArn": ext?.gatewayRoleArn ?? roleArn(env, "gateway"),
      "gateway.image": gatewayImageReference(ext?.gatewayImageRepository ?? repositoryUrl(env, "gateway"), env.release.gatewayImage),
    });
  });

  test("the install guide's defaults, and the inbound auth its values file chooses", () => {
    expect({
      "vectorStore.endpoint.url": at("vectorStore.endpoint.url"),
      "vectorStore.endpoint.region": at("vectorStore.endpoint.region"),
      "vectorStore.inboundAuth.mode": at("vectorStore.inboundAuth.mode"),
      "gateway.consistency.stablePollIntervalMs": at("gateway.consistency.stablePollIntervalMs"),
      "operator.infraRules.create": at("operator.infraRules.create"),
      "workerKarpenter.enabled": at("workerKarpenter.enabled"),
      "documentCache.autoRestartOnStopWrites": at("documentCache.autoRestartOnStopWrites"),
      "documentCache.storage.resetOnStart": at("documentCache.storage.resetOnStart"),
      "documentCache.nodeRole": at("documentCache.nodeRole"),
    }).toEqual({
      "vectorStore.endpoint.url": "https://aws-us-east-1.turbopuffer.com",
      "vectorStore.endpoint.region": "aws-us-east-1",
      // prod authenticates callers with keys (helm-values/prod.yaml); the others derive it from the store.
      "vectorStore.inboundAuth.mode": name === "prod" ? "keys" : "deriveFromStore",
      "gateway.consistency.stablePollIntervalMs": 60000,
      "operator.infraRules.create": true,
      "workerKarpenter.enabled": false,
      "documentCache.autoRestartOnStopWrites": true,
      "documentCache.storage.resetOnStart": true,
      "documentCache.nodeRole": "system",
    });
  });

  test("the upstream credential comes from set_wo or an existing Secret, never a literal", () => {
    expect(values.vectorStore.credential.apiKey).toBeUndefined();
    expect(setWo.has("vectorStore.credential.apiKey") || values.vectorStore.credential.secretRef !== undefined).toBe(true);
  });
});
