/**
 * The `layer` release as synthesized: chart source, the adoptable namespace,
 * values, and secrets only as write-only values from ephemeral variables or
 * ephemeral Secrets Manager reads (SEC-01..03).
 */
import { Testing, TerraformStack } from "cdktf";
import { parse } from "yaml";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { LayerRelease, valuesRevision } from "../../constructs/layer-release";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, environmentWithValues, synthEnvironment, synthExample } from "../helpers/synth";
import { block, layerRelease } from "../helpers/terraform-json";

const DEV = synthExample("dev").helm;
const release = layerRelease(DEV);
const NAMESPACE_METADATA = {
  labels: { "app.kubernetes.io/managed-by": "Helm" },
  annotations: { "meta.helm.sh/release-name": "layer", "meta.helm.sh/release-namespace": "layer" },
};

describe("the layer release in dev", () => {
  test("is release layer in namespace layer, which exists first with Helm's ownership metadata", () => {
    const namespace = DEV.resource!.kubernetes_namespace_v1.layer_release_namespace;
    expect(block(namespace.metadata)).toEqual({ name: "layer", ...NAMESPACE_METADATA });
    // The chart's labels join on adoption; Terraform does not fight over them.
    expect(namespace.lifecycle.ignore_changes).toEqual(["metadata[0].labels", "metadata[0].annotations"]);
    expect(release.name).toBe("layer");
    expect(release.namespace).toBe("layer");
    expect(release.depends_on[0]).toBe("kubernetes_namespace_v1.layer_release_namespace");
    expect(release.create_namespace).toBe(false);
    expect(release.atomic).toBe(true);
  });

  test("the chart is the OCI artifact in the environment's own ECR registry, at the exact chart version", () => {
    expect([release.repository, release.chart, release.version]).toEqual(["oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev", "layer", "0.1.0"]);
  });

  test("SEC-03: every secret is an ephemeral, sensitive variable without a default", () => {
    for (const name of ["vector_store_api_key", "dashboard_password"]) {
      expect(DEV.variable?.[name]).toEqual({
        type: "string",
        sensitive: true,
        ephemeral: true,
        nullable: false,
        description: expect.stringContaining(`TF_VAR_${name}`),
      });
    }
    expect(Object.keys(DEV.variable ?? {}).sort()).toEqual(["dashboard_password", "vector_store_api_key"]);
  });

  test("SEC-02: they reach the chart only through set_wo, escaped for Helm's --set parser", () => {
    expect(release.set_wo.map((s: any) => [s.name, s.type])).toEqual([
      ["vectorStore.credential.apiKey", "string"],
      ["dashboard.basicAuth.password", "string"],
    ]);
    // HCL string escapes: one backslash becomes two, a comma becomes backslash-comma.
    expect(release.set_wo[0].value).toBe(String.raw`${"$"}{replace(replace(var.vector_store_api_key, "\\", "\\\\"), ",", "\\,")}`);
    expect(release.set_sensitive).toBeUndefined();
  });

  test("SEC-01: values, set and set_list never reference a secret", () => {
    const plain = JSON.stringify({ values: release.values, set: release.set, set_list: release.set_list });
    expect(plain).not.toMatch(/var\.|ephemeral\./);
    expect(plain).not.toMatch(/apiKey|password:|pepper|token:/);
  });

  test("values are one YAML document", () => {
    expect(release.values).toHaveLength(1);
    expect(parse(release.values[0]).s3.region).toBe("us-east-1");
  });
});

describe("set_wo_revision changes whenever values, chart or secretsRevision change (hashicorp/terraform-provider-helm#1753)", () => {
  const revisionOf = (yaml: string, values = "") => layerRelease(synthEnvironment(environmentWithValues(yaml, values, "dev")).helm).set_wo_revision;
  const base = revisionOf(MINIMAL_ENVIRONMENT);

  test("it is the hash of values and chart, plus secretsRevision", () => {
    const r = layerRelease(synthEnvironment(environmentFromYaml(MINIMAL_ENVIRONMENT, "dev")).helm);
    expect(base).toBe(valuesRevision([r.values[0], r.repository, r.chart, r.version]) + 1);
    expect(revisionOf(MINIMAL_ENVIRONMENT)).toBe(base);
  });

  test.each([
    ["a value", MINIMAL_ENVIRONMENT, "gateway:\n  shardCount: 32\n"],
    [
      "the chart version",
      `${MINIMAL_ENVIRONMENT}  chart: {repository: "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev", chart: layer, version: 0.1.1}\n`,
      "",
    ],
    ["an image tag", MINIMAL_ENVIRONMENT.replace('gateway: {tag: "0.5.2"}', 'gateway: {tag: "0.5.3"}'), ""],
  ])("%s", (_what, yaml, values) => {
    expect(revisionOf(yaml, values)).not.toBe(base);
  });

  test("bumping release.secretsRevision bumps it by the same amount (rotation)", () => {
    expect(revisionOf(`${MINIMAL_ENVIRONMENT}  secretsRevision: 4\n`)).toBe(base + 3);
  });
});

describe("the chart and the secrets follow config", () => {
  test("an OCI chart is pinned to its exact version", () => {
    const env = environmentFromYaml(
      `${MINIMAL_ENVIRONMENT}  chart:\n    repository: oci://registry.example.com/hev\n    chart: layer\n    version: 1.4.2\n`,
      "dev",
    );
    const r = layerRelease(synthEnvironment(env).helm);
    expect([r.repository, r.chart, r.version]).toEqual(["oci://registry.example.com/hev", "layer", "1.4.2"]);
  });

  test("secrets-manager mode (prod): no variables; each set_wo reads its secret with the ephemeral aws_secretsmanager_secret_version", () => {
    const helm: any = synthExample("prod").helm;
    const r = layerRelease(helm);
    expect(helm.variable).toBeUndefined();
    const ids = ["layer_vector_store", "layer_vector_store_inbound_pipelines", "layer_dashboard_password", "layer_license", "layer_key_pepper"];
    expect(helm.ephemeral.aws_secretsmanager_secret_version).toEqual(
      Object.fromEntries(ids.map((id) => [id, { secret_id: `layer-prod/${id.replace(/_/g, "-")}` }])),
    );
    expect(r.set_wo.map((s: any) => s.name)).toEqual([
      "vectorStore.credential.apiKey",
      "vectorStore.inboundAuth.keys[0].apiKey",
      "dashboard.basicAuth.password",
      "license.token",
      "keys.pepper",
    ]);
    r.set_wo.forEach((s: any, i: number) => expect(s.value).toContain(`ephemeral.aws_secretsmanager_secret_version.${ids[i]}.secret_string`));
  });

  test("helm-only (write-only): the upstream key and the dashboard password are variables", () => {
    expect(Object.keys(synthExample("helm-only").helm.variable ?? {}).sort()).toEqual(["dashboard_password", "vector_store_api_key"]);
  });

  test("release.enabled: false leaves the release and its namespace out", () => {
    const helm = synthEnvironment(environmentFromYaml(`${MINIMAL_ENVIRONMENT}  enabled: false\n`, "dev")).helm;
    expect(helm.resource?.helm_release?.layer_release).toBeUndefined();
    expect(helm.resource?.kubernetes_namespace_v1?.layer_release_namespace).toBeUndefined();
  });

  test("keys mode: one variable and one set_wo for the one gateway key", () => {
    const env = environmentWithValues(
      MINIMAL_ENVIRONMENT,
      "vectorStore:\n  inboundAuth:\n    mode: keys\n    keys:\n      - {name: pipelines, scopes: [read, write, admin]}\n",
      "dev",
    );
    const helm = synthEnvironment(env).helm;
    expect(Object.keys(helm.variable ?? {}).sort()).toEqual(["dashboard_password", "gateway_key_pipelines", "vector_store_api_key"]);
    expect(layerRelease(helm).set_wo[1].name).toBe("vectorStore.inboundAuth.keys[0].apiKey");
  });
});

describe("LayerRelease", () => {
  test("waits for what it depends on, including dependencies added later", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    const pools = new NamespaceV1(stack, "pools", { metadata: { name: "pools" } });
    const ingress = new NamespaceV1(stack, "ingress", { metadata: { name: "ingress" } });
    const r = new LayerRelease(stack, "layer", { chart: { path: "chart" }, valuesYaml: "{}\n", namespaceMetadata: NAMESPACE_METADATA, dependsOn: [pools] });
    r.addDependency(ingress);
    const json = JSON.parse(Testing.synth(stack));
    const body: any = Object.values(json.resource.helm_release)[0];
    expect(body.depends_on).toEqual([
      `kubernetes_namespace_v1.${r.namespace.friendlyUniqueId}`,
      `kubernetes_namespace_v1.${pools.friendlyUniqueId}`,
      `kubernetes_namespace_v1.${ingress.friendlyUniqueId}`,
    ]);
    expect(block(body.set_wo)).toBeUndefined();
    expect(body.set_wo_revision).toBeUndefined();
  });
});
