/**
 * The `layer` release's values contract: helm-values/<env>.yaml holds only
 * keys of the product chart, is validated with the environment it belongs
 * to, wired keys and secrets are refused, and the merge (values file <- wired
 * values) gives the values the chart needs.
 */
import { parse } from "yaml";
import { parseYamlFile } from "../../config/load";
import { DEFAULT_VECTOR_STORE_URL, buildReleaseValues, regionLabelOfUrl, releaseSecrets, renderValuesYaml } from "../../config/release-values";
import { wiredValues } from "../../stacks/release-wiring";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, environmentWithValues } from "../helpers/synth";
import { errorOf } from "../helpers/config-error";

const CANARY = "tpuf_CANARY8f3a0c1d2e3f4a5b6c7d8e9f0a1b2c3d";
const BASE = MINIMAL_ENVIRONMENT;
const PROTECTED = `${BASE}protected: true\nkarpenter:\n  amiAlias: al2023@v20260714\ncluster:\n  logTypes: [api, audit, authenticator, controllerManager, scheduler]\n`;
const HELM_ONLY = `${BASE}  chart: {repository: "oci://registry.example.com/acme", chart: layer, version: 0.1.0}
mode: helm-only
externalAws:
  clusterName: search
  bucket: acme-layer-data
  gatewayRoleArn: arn:aws:iam::123456789012:role/acme-gateway
  gatewayImageRepository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/gateway
`;
const HELM_ONLY_IMAGES = HELM_ONLY.replace(
  '    operator: {tag: "0.5.2"}\n    dashboard: {tag: "0.5.2"}\n',
  '    operator: {tag: "0.5.2", repository: r.example.com/acme/operator}\n    dashboard: {tag: "0.5.2", repository: r.example.com/acme/dashboard}\n',
);
const MANAGED_DNS = `${BASE}dns:\n  managePublicDns: true\n  zoneName: example.com\n  zoneDelegated: true\n  gatewayHost: layer.example.com\n`;
const KEYS = (keys: string) => `vectorStore:\n  inboundAuth:\n    mode: keys\n    keys:\n${keys}`;
const WORKER = "      - {name: pipelines, scopes: [read, write, admin]}\n";

const cases: Array<[string, string, string, string, RegExp]> = [
  ["s3.bucket (wired from the AWS stack)", BASE, "s3:\n  bucket: mine\n", "s3.bucket", /wired from the AWS stack layer-broken-aws \(its data bucket/],
  ["s3.region (the environment's region)", BASE, "s3:\n  region: us-west-2\n", "s3.region", /wired from region in environments\/broken.yaml/],
  [
    "serviceAccount.roleArn (wired)",
    BASE,
    "serviceAccount:\n  roleArn: arn:aws:iam::123456789012:role/x\n",
    "serviceAccount.roleArn",
    /wired from the AWS stack layer-broken-aws \(the gateway IRSA role\)/,
  ],
  [
    "dashboard.serviceAccount.roleArn (wired)",
    BASE,
    "dashboard:\n  serviceAccount:\n    roleArn: arn:aws:iam::123456789012:role/x\n",
    "dashboard.serviceAccount.roleArn",
    /dashboard cost-read role/,
  ],
  ["gateway.image (wired)", BASE, "gateway:\n  image: nginx:1.27\n", "gateway.image", /wired from release.images.gateway in environments\/broken.yaml/],
  ["operator.image (wired)", BASE, "operator:\n  image: op:1\n", "operator.image", /release.images.operator/],
  [
    "s3.bucket in helm-only mode (from externalAws)",
    HELM_ONLY_IMAGES,
    "s3:\n  bucket: mine\n",
    "s3.bucket",
    /wired from externalAws.bucket in environments\/broken.yaml/,
  ],
  [
    "serviceAccount.name (from the environment file)",
    BASE,
    "serviceAccount:\n  name: other\n",
    "serviceAccount.name",
    /release.serviceAccounts.gateway in environments\/broken.yaml/,
  ],
  ["chart-owned worker pools", BASE, "workerKarpenter:\n  enabled: true\n", "workerKarpenter", /worker-pools chart owns every worker NodePool/],
  [
    "a chart-owned document-cache pool",
    BASE,
    "documentCache:\n  karpenter:\n    enabled: true\n",
    "documentCache.karpenter",
    /owns the document-cache NodePool/,
  ],
  ["an unknown top-level key", BASE, "gatway:\n  indexNamespace: x\n", "gatway", /unknown key "gatway".*"gateway" \(did you mean it\?\)/],
  [
    "an unknown nested key",
    BASE,
    "documentCache:\n  autoRestartOnStopWrite: false\n",
    "documentCache.autoRestartOnStopWrite",
    /"autoRestartOnStopWrites" \(did you mean it\?\)/,
  ],
  [
    "a key the chart does not have (operator.infraRules)",
    BASE,
    "operator:\n  infraRules:\n    create: true\n",
    "operator.infraRules",
    /unknown key "infraRules"/,
  ],
  ["a key the chart does not have (additionalVectorStores)", BASE, "additionalVectorStores: []\n", "additionalVectorStores", /unknown key/],
  [
    "a secretRef for the upstream key (the chart needs the value)",
    BASE,
    "vectorStore:\n  credential:\n    secretRef: {name: a, key: b}\n",
    "vectorStore.credential.secretRef",
    /unknown key "secretRef"/,
  ],
  [
    "an http endpoint",
    BASE,
    "vectorStore:\n  endpoint:\n    url: http://aws-us-east-1.turbopuffer.com\n",
    "vectorStore.endpoint.url",
    /expected an https:\/\/ API base URL/,
  ],
  [
    "an endpoint URL and region that disagree",
    BASE,
    "vectorStore:\n  endpoint:\n    url: https://aws-us-east-1.turbopuffer.com\n    region: gcp-us-central1\n",
    "vectorStore.endpoint.region",
    /found "gcp-us-central1"; expected aws-us-east-1, the region of vectorStore.endpoint.url/,
  ],
  [
    "keys mode with two keys (the chart's range defect)",
    BASE,
    KEYS(WORKER + "      - {name: reader, scopes: [read]}\n"),
    "vectorStore.inboundAuth.keys",
    /exactly one key in keys mode: chart layer 0.1.0 cannot render more \(the range in its templates\/vectorstore.yaml trims the newline/,
  ],
  ["keys mode with no key", BASE, "vectorStore:\n  inboundAuth:\n    mode: keys\n", "vectorStore.inboundAuth.keys", /exactly one key/],
  [
    "a key without the scopes workers need",
    BASE,
    KEYS("      - {name: admin, scopes: [admin]}\n"),
    "vectorStore.inboundAuth.keys[0].scopes",
    /including read and write: the one key is the worker key/,
  ],
  ["an unknown scope", BASE, KEYS("      - {name: admin, scopes: [root]}\n"), "vectorStore.inboundAuth.keys[0].scopes[0]", /"read"\|"write"\|"admin"/],
  [
    "keys listed outside keys mode",
    BASE,
    "vectorStore:\n  inboundAuth:\n    keys:\n" + WORKER,
    "vectorStore.inboundAuth.keys",
    /only used when vectorStore.inboundAuth.mode is keys/,
  ],
  [
    "a worker Secret set by hand",
    BASE,
    KEYS(WORKER) + "    workerSecretName: other\n",
    "vectorStore.inboundAuth.workerSecretName",
    /wired from the one key of keys mode/,
  ],
  [
    "open mode in a protected environment",
    PROTECTED,
    "vectorStore:\n  inboundAuth:\n    mode: open\n",
    "vectorStore.inboundAuth.mode",
    /is protected, so an unauthenticated gateway needs release.acknowledgeOpenAuth: true/,
  ],
  ["two gateways with the embedded queue", BASE, "gateway:\n  replicas: 2\n", "gateway.replicas", /1 while gateway.queue.embedded is true/],
  ["a floating document cache image", BASE, "documentCache:\n  image: aerospike/aerospike-server:latest\n", "documentCache.image", /not latest/],
  [
    "ingress.host outside the managed zone",
    MANAGED_DNS,
    "ingress:\n  host: layer.example.org\n",
    "ingress.host",
    /ingress.host: found "layer.example.org"; expected a name inside the managed zone example.com/,
  ],
  [
    "ingress.host that disagrees with dns.gatewayHost",
    MANAGED_DNS,
    "ingress:\n  host: other.example.com\n",
    "ingress.host",
    /layer.example.com \(dns.gatewayHost/,
  ],
  [
    "the document cache on a pool that does not exist",
    BASE,
    "documentCache:\n  nodeRole: document-cache\n",
    "documentCache.nodeRole",
    /system, or create the dedicated pool/,
  ],
  ["a values file that is a list", BASE, "- a\n", "", /expected a YAML mapping of chart values/],
];

describe("a bad values file is rejected with a message naming file, field, found and expected", () => {
  test.each(cases)("%s", (_label, envYaml, valuesYaml, field, message) => {
    const error = errorOf(() => environmentWithValues(envYaml, valuesYaml, "broken"));
    const text = error.message;
    expect(text).toContain(field === "" ? "helm-values/broken.yaml: found " : `helm-values/broken.yaml: ${field}: found `);
    expect(text).toMatch(message);
    expect(text).toContain("; expected ");
  });

  test("the URL/region agreement check passes when they agree, and ignores a URL without a region label", () => {
    expect(regionLabelOfUrl("https://gcp-us-central1.turbopuffer.com")).toBe("gcp-us-central1");
    expect(regionLabelOfUrl("https://tpuf.internal.example.com")).toBeUndefined();
    const agree = environmentWithValues(
      BASE,
      "vectorStore:\n  endpoint:\n    url: https://gcp-us-central1.turbopuffer.com\n    region: gcp-us-central1\n",
      "ok",
    );
    expect(agree.releaseValues.vectorStore.endpoint.region).toBe("gcp-us-central1");
  });
});

describe("the images the chart would render empty are required in the environment file, pinned", () => {
  test.each([
    [
      "no gateway image",
      BASE.replace('    gateway: {tag: "0.5.2"}\n', ""),
      "release.images.gateway",
      /a pinned tag or sha256 digest \(the gateway always runs, and the chart renders an empty image without one\)/,
    ],
    ["no operator image while the operator is on", BASE.replace('    operator: {tag: "0.5.2"}\n', ""), "release.images.operator", /operator.enabled is true/],
    ["no dashboard image", BASE.replace('    dashboard: {tag: "0.5.2"}\n', "    dashboard: {}\n"), "release.images.dashboard", /dashboard.enabled is true/],
    ["helm-only: an operator image from no repository", HELM_ONLY, "release.images.operator.repository", /no ECR repository of this project holds it/],
  ])("%s", (_label, envYaml, field, message) => {
    const error = errorOf(() => environmentWithValues(envYaml, "", "broken"));
    expect(error.message).toContain(`environments/broken.yaml: ${field}: found `);
    expect(error.message).toMatch(message);
  });

  test("latest is refused by the schema", () => {
    const error = errorOf(() => environmentFromYaml(BASE.replace('gateway: {tag: "0.5.2"}', "gateway: {tag: latest}"), "broken"));
    expect(error.message).toMatch(/release.images.gateway.tag: found "latest"; expected a pinned tag or digest, not latest/);
  });

  test("an image the values turn off is not required", () => {
    const env = environmentWithValues(BASE.replace('    operator: {tag: "0.5.2"}\n', ""), "operator:\n  enabled: false\n", "ok");
    expect((buildReleaseValues(env, wiredValues(env)) as any).operator.image).toBeUndefined();
  });
});

describe("SEC-01/SEC-04: a secret literal in a values or environment file is refused without echoing it", () => {
  test.each([
    ["the upstream API key", `vectorStore:\n  credential:\n    apiKey: ${CANARY}\n`, "vectorStore.credential.apiKey"],
    ["the gateway key's apiKey", KEYS(`      - {name: admin, scopes: [read, write], apiKey: ${CANARY}}\n`), "vectorStore.inboundAuth.keys[0].apiKey"],
    ["the dashboard password", "dashboard:\n  basicAuth:\n    password: not-a-tpuf-key\n", "dashboard.basicAuth.password"],
    ["the license token", "license:\n  token: not-a-tpuf-key\n", "license.token"],
    ["the key pepper", "keys:\n  pepper: not-a-tpuf-key\n", "keys.pepper"],
    ["a key-shaped string in any field", `gateway:\n  indexNamespace: ${CANARY}\n`, "gateway.indexNamespace"],
  ])("%s", (_label, valuesYaml, field) => {
    const error = errorOf(() => environmentWithValues(BASE, valuesYaml, "broken"));
    expect(error.message).toContain(`helm-values/broken.yaml: ${field}: found a secret literal (value not shown); expected no secret in a values file`);
    expect(error.message).not.toContain(CANARY);
    expect(error.message).not.toContain("not-a-tpuf-key");
  });

  test("in the environment file (it flows into tags and names)", () => {
    const error = errorOf(() => environmentFromYaml(`${BASE}tags:\n  note: ${CANARY}\n`, "broken"));
    expect(error.message).toContain("environments/broken.yaml: tags.note: found a secret literal (value not shown)");
    expect(error.message).not.toContain(CANARY);
  });
});

describe("the release section of the environment file", () => {
  test("Secrets Manager secrets need an AWS stack", () => {
    expect(() =>
      environmentFromYaml(
        `${HELM_ONLY_IMAGES}  secrets: secrets-manager\n`
          .replace("mode: helm-only", "  secrets: secrets-manager\nmode: helm-only")
          .replace(/\n {2}secrets: secrets-manager\n$/, "\n"),
        "broken",
      ),
    ).toThrow(/release.secrets: found "secrets-manager"; expected write-only: helm-only mode has no AWS stack/);
  });

  test("helm-only mode names its chart", () => {
    expect(() => environmentWithValues(HELM_ONLY_IMAGES.replace(/ {2}chart: .*\n/, ""), "", "broken")).toThrow(
      /release.chart: found nothing \(the field is missing\); expected the product chart/,
    );
  });

  test("an absolute chart path is refused (terraform runs elsewhere)", () => {
    expect(() => environmentFromYaml(`${BASE}  chart:\n    path: /home/me/layer\n`, "broken")).toThrow(/release.chart/);
  });

  test("a floating OCI chart version is refused", () => {
    expect(() =>
      environmentFromYaml(`${BASE}  chart:\n    repository: oci://registry.example.com/hev\n    chart: layer\n    version: latest\n`, "broken"),
    ).toThrow(/release.chart/);
  });

  test("an internal ingress is refused: the chart's Ingress is internet-facing", () => {
    expect(() =>
      environmentFromYaml(
        `${BASE}dns:\n  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666\n  gatewayHost: a.example.com\ningress:\n  scheme: internal\n`,
        "broken",
      ),
    ).toThrow(/ingress.scheme: found "internal"; expected internet-facing or none/);
  });
});

describe("the merge: chart defaults <- values file <- wired values", () => {
  const env = environmentWithValues(BASE, "gateway:\n  indexGc:\n    enabled: false\n  consistency:\n    stablePollIntervalMs: 30000\n", "dev");
  const values: any = buildReleaseValues(env, wiredValues(env));

  test("values file keys are kept", () => {
    expect(values.gateway.indexGc).toEqual({ enabled: false });
    expect(values.gateway.consistency.stablePollIntervalMs).toBe(30000);
  });

  test("wired values come from the naming rules the AWS stack uses, and s3.region is the environment's", () => {
    expect(values.s3).toEqual({ bucket: "layer-dev-data-123456789012-us-east-1", region: "us-east-1" });
    expect(values.serviceAccount).toEqual({ name: "layer-gateway", roleArn: "arn:aws:iam::123456789012:role/layer-dev-gateway" });
    expect(values.dashboard.serviceAccount).toEqual({ name: "layer-dashboard", roleArn: "arn:aws:iam::123456789012:role/layer-dev-dashboard" });
    expect(values.operator.serviceAccount).toEqual({ name: "layer-operator", roleArn: "arn:aws:iam::123456789012:role/layer-dev-operator" });
    for (const image of ["gateway", "operator", "dashboard"]) {
      expect(values[image].image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev/${image}:0.5.2`);
    }
  });

  test("the operator and dashboard are on (install guide), the chart's NodePools off (one owner), the cost API filtered by the environment tag", () => {
    expect(values.operator.enabled).toBe(true);
    expect(values.dashboard).toMatchObject({ enabled: true, basicAuth: { user: "admin" } });
    expect(values.dashboard.basicAuth.password).toBeUndefined();
    expect(values.workerKarpenter).toEqual({ enabled: false });
    // On the system node it reserves 250m CPU so the baseline fits one i4i.large (docs/simulation.md).
    expect(values.documentCache).toEqual({ nodeRole: "system", karpenter: { enabled: false }, resources: { requests: { cpu: "250m" } } });
    expect(values.gateway.cost).toEqual({ tagKey: "hev.dev/environment", tagValue: "dev" });
    expect(values.vectorStore.endpoint).toEqual({ url: DEFAULT_VECTOR_STORE_URL, region: "aws-us-east-1" });
    expect(values.ingress).toEqual({ enabled: false });
  });

  test("a CPU request in the values file, or a dedicated cache pool, keeps its own document cache sizing", () => {
    const sized = environmentWithValues(BASE, "documentCache:\n  resources:\n    requests:\n      cpu: 750m\n      memory: 2Gi\n", "dev");
    expect((buildReleaseValues(sized, wiredValues(sized)) as any).documentCache.resources).toEqual({ requests: { cpu: "750m", memory: "2Gi" } });
    const memoryOnly = environmentWithValues(BASE, "documentCache:\n  resources:\n    requests:\n      memory: 2Gi\n", "dev");
    expect((buildReleaseValues(memoryOnly, wiredValues(memoryOnly)) as any).documentCache.resources).toEqual({ requests: { memory: "2Gi", cpu: "250m" } });
  });

  test("an image is pinned by digest, or pulled from the registry the environment names", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const pinned = environmentFromYaml(BASE.replace('gateway: {tag: "0.5.2"}', `gateway: {digest: "${digest}"}`), "dev");
    const v: any = buildReleaseValues(pinned, wiredValues(pinned));
    expect(v.gateway.image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev/gateway@${digest}`);
    const registry = environmentFromYaml(BASE.replace("  images:\n", "  images:\n    registry: registry.example.com/hevlayer\n"), "dev");
    expect((buildReleaseValues(registry, wiredValues(registry)) as any).operator.image).toBe("registry.example.com/hevlayer/operator:0.5.2");
  });

  test("helm-only wires externalAws, and leaves out roles it was not given", () => {
    const helmOnly = environmentFromYaml(HELM_ONLY_IMAGES, "ho");
    const v: any = buildReleaseValues(helmOnly, wiredValues(helmOnly));
    expect(v.s3.bucket).toBe("acme-layer-data");
    expect(v.serviceAccount.roleArn).toBe("arn:aws:iam::123456789012:role/acme-gateway");
    expect(v.gateway.image).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/gateway:0.5.2");
    expect(v.operator.image).toBe("r.example.com/acme/operator:0.5.2");
    expect(v.dashboard.serviceAccount).toEqual({ name: "layer-dashboard" });
  });

  test("with a certificate the chart's Ingress is on, in the environment's own ALB group, for dns.gatewayHost", () => {
    const dns = environmentFromYaml(MANAGED_DNS, "dev");
    expect((buildReleaseValues(dns, wiredValues(dns)) as any).ingress).toEqual({
      enabled: true,
      host: "layer.example.com",
      groupName: "layer-dev",
      tags: "hev.dev/environment=dev",
    });
  });

  test("a dedicated document-cache pool moves the cache there; the pool stays this project's", () => {
    const dc = environmentFromYaml(`${BASE}karpenter:\n  documentCache:\n    enabled: true\n`, "dev");
    const v: any = buildReleaseValues(dc, wiredValues(dc));
    expect(v.documentCache).toEqual({ nodeRole: "document-cache", karpenter: { enabled: false } });
  });

  test("keys mode: the worker Secret is the one key's entry in the release Secret, or its own secretRef", () => {
    const inline = environmentWithValues(BASE, KEYS(WORKER), "dev");
    expect((buildReleaseValues(inline, wiredValues(inline)) as any).vectorStore.inboundAuth).toMatchObject({
      workerSecretName: "layer",
      workerSecretKey: "layer-inbound-pipelines-api-key",
    });
    const ref = environmentWithValues(BASE, KEYS("      - {name: pipelines, scopes: [read, write], secretRef: {name: pipeline-key, key: token}}\n"), "dev");
    expect((buildReleaseValues(ref, wiredValues(ref)) as any).vectorStore.inboundAuth).toMatchObject({
      workerSecretName: "pipeline-key",
      workerSecretKey: "token",
    });
  });

  test("the YAML is deterministic, sorted at every level, and parses back to the same values", () => {
    const text = renderValuesYaml(values);
    expect(parse(text)).toEqual(values);
    expect(renderValuesYaml(JSON.parse(JSON.stringify(values)))).toBe(text);
    const topLevel = text
      .split("\n")
      .filter((l) => /^[a-zA-Z]/.test(l))
      .map((l) => l.split(":")[0]);
    expect(topLevel).toEqual([...topLevel].sort());
  });
});

describe("the secrets the chart needs as values", () => {
  const ids = (yaml: string, values = "") => releaseSecrets(environmentWithValues(yaml, values, "dev")).map((s) => [s.valuesPath, s.variable]);

  test("write-only: the upstream key and the dashboard password; the chart keeps its own pepper", () => {
    expect(ids(BASE)).toEqual([
      ["vectorStore.credential.apiKey", "vector_store_api_key"],
      ["dashboard.basicAuth.password", "dashboard_password"],
    ]);
  });

  test("keys mode adds the one gateway key, unless it names its Secret; a license adds the token unless it is an existing Secret", () => {
    expect(ids(`${BASE}  license: true\n`, KEYS(WORKER))).toEqual([
      ["vectorStore.credential.apiKey", "vector_store_api_key"],
      ["vectorStore.inboundAuth.keys[0].apiKey", "gateway_key_pipelines"],
      ["dashboard.basicAuth.password", "dashboard_password"],
      ["license.token", "license_token"],
    ]);
    const referenced =
      KEYS("      - {name: pipelines, scopes: [read, write], secretRef: {name: k, key: v}}\n") +
      "license:\n  existingSecret: hevlayer-license\ndashboard:\n  enabled: false\n";
    expect(ids(`${BASE}  license: true\n`.replace('    dashboard: {tag: "0.5.2"}\n', ""), referenced)).toEqual([
      ["vectorStore.credential.apiKey", "vector_store_api_key"],
    ]);
  });

  test("secrets-manager: named <prefix>-<env>/<id>; the dashboard password and the pepper are generated", () => {
    const env = environmentWithValues(`${BASE}  secrets: secrets-manager\n`, KEYS(WORKER), "dev");
    expect(releaseSecrets(env).map((s) => [s.secretsManagerName, s.generated])).toEqual([
      ["layer-dev/layer-vector-store", false],
      ["layer-dev/layer-vector-store-inbound-pipelines", false],
      ["layer-dev/layer-dashboard-password", true],
      ["layer-dev/layer-key-pepper", true],
    ]);
  });

  test("open mode: accepted outside protected environments, and in protected ones when acknowledged", () => {
    expect(environmentWithValues(BASE, "vectorStore:\n  inboundAuth:\n    mode: open\n", "dev").releaseValues.vectorStore.inboundAuth.mode).toBe("open");
    const acknowledged = environmentWithValues(
      BASE.replace("  images:", "  acknowledgeOpenAuth: true\n  images:") + PROTECTED.slice(BASE.length),
      "vectorStore:\n  inboundAuth:\n    mode: open\n",
      "dev",
    );
    expect(acknowledged.releaseValues.vectorStore.inboundAuth.mode).toBe("open");
  });
});

test("invalid YAML in a values file names the file, the setting and the line", () => {
  expect(() => parseYamlFile("gateway: {a: 1\n", "helm-values/broken.yaml")).toThrow(
    /^helm-values\/broken.yaml: gateway: found invalid YAML at line 2, column 1: /,
  );
});
