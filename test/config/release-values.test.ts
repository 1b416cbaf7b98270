/**
 * The `layer` release's values contract: helm-values/<env>.yaml is validated
 * with the environment it belongs to, wired keys and secrets are refused, and
 * the merge (values file <- wired values) gives the full typed values.
 */
import { parse } from "yaml";
import { parseYamlFile } from "../../config/load";
import {
  DEFAULT_VECTOR_STORE_URL,
  RELEASE_VALUES_TOP_LEVEL_KEYS,
  STOCK_COMPUTE_POOLS,
  buildReleaseValues,
  releaseSecrets,
  renderValuesYaml,
  workerSecret,
} from "../../config/release-values";
import { NODE_ROLES, NODE_ROLE_LABEL } from "../../config/node-roles";
import { wiredValues } from "../../stacks/release-wiring";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, environmentWithValues } from "../helpers/synth";
import { errorOf } from "../helpers/config-error";

const CANARY = "tpuf_CANARY8f3a0c1d2e3f4a5b6c7d8e9f0a1b2c3d";
const BASE = MINIMAL_ENVIRONMENT;
const PROTECTED = `${BASE}protected: true\nkarpenter:\n  amiAlias: al2023@v20260714\ncluster:\n  logTypes: [api, audit, authenticator, controllerManager, scheduler]\n`;
const HELM_ONLY = `${BASE}mode: helm-only
externalAws:
  clusterName: search
  bucket: acme-layer-data
  gatewayRoleArn: arn:aws:iam::123456789012:role/acme-gateway
  gatewayImageRepository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/gateway
`;
const MANAGED_DNS = `${BASE}dns:\n  managePublicDns: true\n  zoneName: example.com\n  gatewayHost: layer.example.com\n`;
const KEYS = (keys: string) => `vectorStore:\n  inboundAuth:\n    mode: keys\n    keys:\n${keys}`;
const ADMIN = "      - {name: admin, scopes: [read, write, admin]}\n";
const WORKER = "      - {name: pipelines, scopes: [read, write], worker: true}\n";


const cases: Array<[string, string, string, string, RegExp]> = [
  ["s3.bucket (wired from the AWS stack)", BASE, "s3:\n  bucket: mine\n", "s3.bucket", /wired from the AWS stack layer-broken-aws \(its data bucket/],
  ["serviceAccount.roleArn (wired)", BASE, "serviceAccount:\n  roleArn: arn:aws:iam::123456789012:role/x\n", "serviceAccount.roleArn", /wired from the AWS stack layer-broken-aws \(the gateway IRSA role\)/],
  ["dashboard.serviceAccount.roleArn (wired)", BASE, "dashboard:\n  serviceAccount:\n    roleArn: arn:aws:iam::123456789012:role/x\n", "dashboard.serviceAccount.roleArn", /dashboard cost-read role/],
  ["gateway.image (wired)", BASE, "gateway:\n  image: nginx:latest\n", "gateway.image", /gateway ECR repository\) and release.gatewayImage/],
  ["s3.bucket in helm-only mode (from externalAws)", HELM_ONLY, "s3:\n  bucket: mine\n", "s3.bucket", /wired from externalAws.bucket in environments\/broken.yaml/],
  ["serviceAccount.name (from the environment file)", BASE, "serviceAccount:\n  name: other\n", "serviceAccount.name", /release.serviceAccounts.gateway in environments\/broken.yaml/],
  ["an unknown top-level key", BASE, "gatway:\n  indexNamespace: x\n", "gatway", /unknown key "gatway".*"gateway" \(did you mean it\?\)/],
  ["an unknown nested key", BASE, "documentCache:\n  autoRestartOnStopWrite: false\n", "documentCache.autoRestartOnStopWrite", /did you mean it\?/],
  ["an http endpoint", BASE, "vectorStore:\n  endpoint:\n    url: http://aws-us-east-1.turbopuffer.com\n", "vectorStore.endpoint.url", /expected an https:\/\/ API base URL/],
  ["keys mode without an admin key", BASE, KEYS(WORKER), "vectorStore.inboundAuth.keys", /at least one key with the admin scope/],
  ["keys mode without a worker key", BASE, KEYS(ADMIN), "vectorStore.inboundAuth.keys", /exactly one key marked worker: true/],
  ["keys mode with two worker keys", BASE, KEYS(ADMIN + WORKER + "      - {name: more, scopes: [write], worker: true}\n"), "vectorStore.inboundAuth.keys", /exactly one key marked worker/],
  ["a duplicated key name", BASE, KEYS(ADMIN + WORKER + "      - {name: admin, scopes: [read]}\n"), "vectorStore.inboundAuth.keys[2].name", /key names are unique/],
  ["an unknown scope", BASE, KEYS("      - {name: admin, scopes: [root]}\n"), "vectorStore.inboundAuth.keys[0].scopes[0]", /"read"\|"write"\|"admin"/],
  ["keys listed outside keys mode", BASE, "vectorStore:\n  inboundAuth:\n    keys:\n" + ADMIN, "vectorStore.inboundAuth.keys", /only used when vectorStore.inboundAuth.mode is keys/],
  ["open mode in a protected environment", PROTECTED, "vectorStore:\n  inboundAuth:\n    mode: open\n", "vectorStore.inboundAuth.mode", /is protected, so an unauthenticated gateway needs release.acknowledgeOpenAuth: true/],
  ["open mode on an additional store in a protected environment", PROTECTED, "additionalVectorStores:\n  - name: eu\n    inboundAuth:\n      mode: open\n", "additionalVectorStores[0].inboundAuth.mode", /release.acknowledgeOpenAuth/],
  ["an additional store named like the default store", BASE, "additionalVectorStores:\n  - name: turbopuffer-default\n", "additionalVectorStores[0].name", /store name used once/],
  ["ingress.host outside the managed zone", MANAGED_DNS, "ingress:\n  host: layer.example.org\n", "ingress.host", /ingress.host: found "layer.example.org"; expected a name inside the managed zone example.com/],
  ["ingress.host that disagrees with dns.gatewayHost", MANAGED_DNS, "ingress:\n  host: other.example.com\n", "ingress.host", /layer.example.com \(dns.gatewayHost/],
  ["a compute pool selecting a node role nobody creates", BASE, `operator:\n  infraRules:\n    computePools:\n      - name: cpu\n        nodeSelector: {"${NODE_ROLE_LABEL}": worker-arm}\n`, "operator.infraRules.computePools[0].nodeSelector", /worker-cpu or worker-gpu/],
  ["the stock gpu pool with the GPU worker pool disabled", `${BASE}karpenter:\n  workerGpu:\n    enabled: false\n`, "", "operator.infraRules.computePools[2].nodeSelector", /set to a worker pool this environment creates: worker-cpu$/m],
  ["chart-owned worker pools while this project owns them", BASE, "workerKarpenter:\n  enabled: true\n", "workerKarpenter.enabled", /this project creates the worker NodePools/],
  ["the document cache on a pool that does not exist", BASE, "documentCache:\n  nodeRole: document-cache\n", "documentCache.nodeRole", /system, or enable the dedicated pool/],
  ["documentCache.karpenter.enabled contradicting the environment file", BASE, "documentCache:\n  karpenter:\n    enabled: true\n", "documentCache.karpenter.enabled", /follows karpenter.documentCache.enabled/],
  ["a document cache CPU request that is not a quantity", BASE, "documentCache:\n  resources:\n    requests:\n      cpu: lots\n", "documentCache.resources.requests.cpu", /expected a CPU quantity such as 250m/],
  ["a values file that is a list", BASE, "- a\n", "", /expected a YAML mapping of chart values/],
];

describe("a bad values file is rejected with a message naming file, field, found and expected", () => {
  test.each(cases)("%s", (_label, envYaml, valuesYaml, field, message) => {
    const error = errorOf(() => environmentWithValues(envYaml, valuesYaml, "broken"));
    const text = error.message;
    expect(text).toContain(field === "" ? "helm-values/broken.yaml: found " : `${field}: found `);
    expect(text).toMatch(message);
    expect(text).toContain("; expected ");
  });
});

describe("SEC-01/SEC-04: a secret literal in a values or environment file is refused without echoing it", () => {
  test.each([
    ["the upstream API key", `vectorStore:\n  credential:\n    apiKey: ${CANARY}\n`, "vectorStore.credential.apiKey"],
    ["an inbound key's apiKey", KEYS(`      - {name: admin, scopes: [admin], worker: true, apiKey: ${CANARY}}\n`), "vectorStore.inboundAuth.keys[0].apiKey"],
    ["a key-shaped string in any field", `gateway:\n  indexNamespace: ${CANARY}\n`, "gateway.indexNamespace"],
    ["an additional store's key", `additionalVectorStores:\n  - name: eu\n    credential:\n      apiKey: not-a-tpuf-key\n`, "additionalVectorStores[0].credential.apiKey"],
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

describe("helm-only mode checks the AWS resources it is given before synth", () => {
  test.each([
    ["a bucket name with adjacent dots", "bucket: acme-layer-data", "bucket: acme..data", "externalAws.bucket", /no two adjacent dots/],
    ["a bucket name shaped like an IP address", "bucket: acme-layer-data", "bucket: 192.168.10.12", "externalAws.bucket", /not formatted like an IP address/],
    ["a user instead of a role", "role/acme-gateway", "user/acme-gateway", "externalAws.gatewayRoleArn", /IRSA needs a role, not a user/],
    ["a role in another account", "arn:aws:iam::123456789012:role/acme-gateway", "arn:aws:iam::999999999999:role/acme-gateway", "externalAws.gatewayRoleArn", /a role in account 123456789012/],
    ["a role in another partition", "arn:aws:iam::123456789012:role/acme-gateway", "arn:aws-cn:iam::123456789012:role/acme-gateway", "externalAws.gatewayRoleArn", /partition aws/],
  ])("%s", (_label, from, to, field, message) => {
    const error = errorOf(() => environmentFromYaml(HELM_ONLY.replace(from, to), "broken"));
    expect(error.message).toContain(`environments/broken.yaml: ${field}: found `);
    expect(error.message).toMatch(message);
  });

  test("Secrets Manager secrets need an AWS stack", () => {
    expect(() => environmentFromYaml(`${HELM_ONLY}release:\n  secrets: secrets-manager\n`, "broken")).toThrow(/release.secrets: found "secrets-manager"; expected write-only: helm-only mode has no AWS stack/);
  });

  test("an absolute chart path is refused (terraform runs elsewhere)", () => {
    expect(() => environmentFromYaml(`${BASE}release:\n  chart:\n    path: /home/me/layer\n`, "broken")).toThrow(/release.chart/);
  });

  test("a floating OCI chart version is refused", () => {
    expect(() => environmentFromYaml(`${BASE}release:\n  chart:\n    repository: oci://registry.example.com/hev\n    chart: layer\n    version: latest\n`, "broken")).toThrow(/release.chart/);
  });
});

describe("the merge: chart defaults <- values file <- wired values", () => {
  const env = environmentWithValues(BASE, "gateway:\n  indexGc:\n    enabled: false\n  consistency:\n    stablePollIntervalMs: 30000\n", "dev");
  const values: any = buildReleaseValues(env, wiredValues(env));

  test("values file keys are kept", () => {
    expect(values.gateway.indexGc).toEqual({ enabled: false });
    expect(values.gateway.consistency.stablePollIntervalMs).toBe(30000);
  });

  test("wired values come from the naming rules the AWS stack uses", () => {
    expect(values.s3).toEqual({ bucket: "layer-dev-data-123456789012-us-east-1" });
    expect(values.serviceAccount).toEqual({ name: "layer-gateway", roleArn: "arn:aws:iam::123456789012:role/layer-dev-gateway" });
    expect(values.dashboard.serviceAccount.roleArn).toBe("arn:aws:iam::123456789012:role/layer-dev-dashboard");
    expect(values.operator.serviceAccount.roleArn).toBe("arn:aws:iam::123456789012:role/layer-dev-operator");
    expect(values.gateway.image).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev/gateway:0.1.0");
  });

  test("chart defaults stay Helm's: keys the contract does not default are not emitted", () => {
    expect(values.gateway.indexConfig).toBeUndefined();
    expect(values.gateway.indexNamespace).toBeUndefined();
    expect(values.ingress).toBeUndefined();
  });

  test("install guide defaults are explicit", () => {
    expect(values.vectorStore.endpoint).toEqual({ url: DEFAULT_VECTOR_STORE_URL, region: "aws-us-east-1" });
    expect(values.vectorStore.inboundAuth.mode).toBe("deriveFromStore");
    expect(values.documentCache).toEqual({ autoRestartOnStopWrites: true, storage: { resetOnStart: true }, nodeRole: "system", karpenter: { enabled: false } });
    expect(values.workerKarpenter).toEqual({ enabled: false });
    expect(values.operator.infraRules).toEqual({ create: true, computePools: STOCK_COMPUTE_POOLS });
  });

  test("the image is pinned by tag, digest or both", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const pinned = environmentFromYaml(`${BASE}release:\n  gatewayImage:\n    digest: "${digest}"\n`, "dev");
    expect((buildReleaseValues(pinned, wiredValues(pinned)) as any).gateway.image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev/gateway@${digest}`);
  });

  test("helm-only wires externalAws, and leaves out roles it was not given", () => {
    const helmOnly = environmentFromYaml(HELM_ONLY, "ho");
    const v: any = buildReleaseValues(helmOnly, wiredValues(helmOnly));
    expect(v.s3.bucket).toBe("acme-layer-data");
    expect(v.serviceAccount.roleArn).toBe("arn:aws:iam::123456789012:role/acme-gateway");
    expect(v.gateway.image).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/gateway:0.1.0");
    expect(v.dashboard.serviceAccount).toEqual({ name: "layer-dashboard" });
  });

  test("ingress.host defaults to dns.gatewayHost", () => {
    const dns = environmentFromYaml(MANAGED_DNS, "dev");
    expect((buildReleaseValues(dns, wiredValues(dns)) as any).ingress).toEqual({ host: "layer.example.com" });
  });

  test("a dedicated document-cache pool moves the cache there by default", () => {
    const dc = environmentFromYaml(`${BASE}karpenter:\n  documentCache:\n    enabled: true\n`, "dev");
    const v: any = buildReleaseValues(dc, wiredValues(dc));
    expect(v.documentCache.nodeRole).toBe("document-cache");
    expect(v.documentCache.karpenter.enabled).toBe(true);
  });

  test("the YAML is deterministic, sorted at every level, and parses back to the same values", () => {
    const text = renderValuesYaml(values);
    expect(parse(text)).toEqual(values);
    expect(renderValuesYaml(JSON.parse(JSON.stringify(values)))).toBe(text);
    const topLevel = text.split("\n").filter((l) => /^[a-zA-Z]/.test(l)).map((l) => l.split(":")[0]);
    expect(topLevel).toEqual([...topLevel].sort());
    for (const key of topLevel) expect(RELEASE_VALUES_TOP_LEVEL_KEYS).toContain(key);
  });
});

describe("each inbound auth mode", () => {
  test("deriveFromStore: only the upstream key is a secret; workers use the release Secret", () => {
    const env = environmentWithValues(BASE, "", "dev");
    expect(releaseSecrets(env).map((s) => [s.valuesPath, s.variable])).toEqual([["vectorStore.credential.apiKey", "vector_store_api_key"]]);
    expect(workerSecret(buildReleaseValues(env, wiredValues(env)))).toEqual({ name: "layer", key: "layer-inbound-worker-api-key" });
  });

  test("keys: one secret per key without secretRef, at its list index", () => {
    const env = environmentWithValues(BASE, KEYS(ADMIN + "      - {name: reader, scopes: [read], secretRef: {name: reader, key: k}}\n" + WORKER), "dev");
    expect(releaseSecrets(env).map((s) => [s.valuesPath, s.variable])).toEqual([
      ["vectorStore.credential.apiKey", "vector_store_api_key"],
      ["vectorStore.inboundAuth.keys[0].apiKey", "vector_store_inbound_key_admin"],
      ["vectorStore.inboundAuth.keys[2].apiKey", "vector_store_inbound_key_pipelines"],
    ]);
  });

  test("keys: a worker key with its own Secret becomes the worker Secret", () => {
    const env = environmentWithValues(BASE, KEYS(ADMIN + "      - {name: pipelines, scopes: [write], worker: true, secretRef: {name: pipeline-key, key: token}}\n"), "dev");
    expect(workerSecret(buildReleaseValues(env, wiredValues(env)))).toEqual({ name: "pipeline-key", key: "token" });
  });

  test("keys: explicit workerSecretName/workerSecretKey win", () => {
    const env = environmentWithValues(BASE, KEYS(ADMIN + WORKER) + "    workerSecretName: workers\n    workerSecretKey: key\n", "dev");
    expect(workerSecret(buildReleaseValues(env, wiredValues(env)))).toEqual({ name: "workers", key: "key" });
  });

  test("open: accepted outside protected environments, and in protected ones when acknowledged", () => {
    expect(environmentWithValues(BASE, "vectorStore:\n  inboundAuth:\n    mode: open\n", "dev").releaseValues.vectorStore.inboundAuth.mode).toBe("open");
    const acknowledged = environmentWithValues(`${PROTECTED}release:\n  acknowledgeOpenAuth: true\n`, "vectorStore:\n  inboundAuth:\n    mode: open\n", "dev");
    expect(acknowledged.releaseValues.vectorStore.inboundAuth.mode).toBe("open");
  });

  test("secrets-manager: every secret becomes a secretRef to the synced Secret, and the worker Secret follows", () => {
    const env = environmentWithValues(`${BASE}release:\n  secrets: secrets-manager\n`, KEYS(ADMIN + WORKER), "dev");
    const v: any = buildReleaseValues(env, wiredValues(env));
    expect(v.vectorStore.credential).toEqual({ secretRef: { name: "layer-vector-store", key: "api-key" } });
    expect(v.vectorStore.inboundAuth.keys.map((k: any) => k.secretRef.name)).toEqual(["layer-vector-store-inbound-admin", "layer-vector-store-inbound-pipelines"]);
    expect(workerSecret(v)).toEqual({ name: "layer-vector-store-inbound-pipelines", key: "api-key" });
    expect(releaseSecrets(env).map((s) => s.secretsManagerName)).toEqual([
      "layer-dev/layer-vector-store",
      "layer-dev/layer-vector-store-inbound-admin",
      "layer-dev/layer-vector-store-inbound-pipelines",
    ]);
  });

  test("additional stores get their own secrets", () => {
    const env = environmentWithValues(BASE, "additionalVectorStores:\n  - name: eu-archive\n    endpoint:\n      url: https://gcp-europe-west3.turbopuffer.com\n      region: gcp-europe-west3\n", "dev");
    expect(releaseSecrets(env).map((s) => s.variable)).toEqual(["vector_store_api_key", "vector_store_eu_archive_api_key"]);
  });
});

describe("compute pools and node roles share one definition", () => {
  test("the stock pools cpu, cpu-large and gpu select the worker node roles", () => {
    expect(STOCK_COMPUTE_POOLS.map((p) => [p.name, p.nodeSelector[NODE_ROLE_LABEL]])).toEqual([
      ["cpu", NODE_ROLES.workerCpu],
      ["cpu-large", NODE_ROLES.workerCpu],
      ["gpu", NODE_ROLES.workerGpu],
    ]);
    expect(NODE_ROLE_LABEL).toBe("layer.hev.dev/node-role");
    expect([NODE_ROLES.workerCpu, NODE_ROLES.workerGpu]).toEqual(["worker-cpu", "worker-gpu"]);
  });

  test("the gpu pool tolerates the GPU taint", () => {
    expect(STOCK_COMPUTE_POOLS[2].tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
  });
});

test("invalid YAML in a values file names the file, the setting and the line", () => {
  expect(() => parseYamlFile("gateway: {a: 1\n", "helm-values/broken.yaml")).toThrow(/^helm-values\/broken.yaml: gateway: found invalid YAML at line 2, column 1: /);
});
