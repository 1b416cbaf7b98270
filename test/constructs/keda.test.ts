import { parse } from "yaml";
import { describeWithReference } from "../helpers/reference";
import { unknownValueKeys } from "../helpers/values-keys";
import { kedaValues } from "../../constructs/keda";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, environmentWithValues, synthEnvironment, synthExample } from "../helpers/synth";
import { block, layerRelease, resourcesOfType } from "../helpers/terraform-json";
import { workerSecret } from "../../config/release-values";

describe("KEDA", () => {
  const dev = synthExample("dev");
  const keda = dev.helm.resource!.helm_release.keda;

  test("installed by default on fresh clusters, pinned, in its own namespace", () => {
    expect(keda).toMatchObject({
      name: "keda",
      namespace: "keda",
      create_namespace: true,
      repository: "https://kedacore.github.io/charts",
      chart: "keda",
      version: dev.env.keda.chartVersion,
    });
    expect(keda.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("runs on the system node group: its node selector is the label the node group puts on its nodes", () => {
    const nodeGroup = block<any>(Object.values(resourcesOfType(dev.aws, "aws_eks_node_group"))[0]);
    expect(parse(keda.values[0]).nodeSelector).toEqual(nodeGroup.labels);
  });

  test("the layer release waits for KEDA (the operator's scalers need its CRDs)", () => {
    expect(layerRelease(dev.helm).depends_on).toContain("helm_release.keda");
  });

  test("off by default in existing clusters, and on when the file says so", () => {
    expect(synthExample("existing").helm.resource?.helm_release?.keda).toBeUndefined();
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}mode: existing-cluster\ncluster:\n  name: shared\nkeda:\n  enabled: true\n`, "ex");
    expect(synthEnvironment(env).helm.resource!.helm_release.keda).toBeDefined();
  });
});

describe("KEDA's scalers use the worker secret the release's keys mode defines", () => {
  test("prod (keys mode, secrets-manager): the trigger authentication reads the worker key's own Secret", () => {
    const values = parse(layerRelease(synthExample("prod").helm).values[0]);
    const auth = values.vectorStore.inboundAuth;
    const workerKey = auth.keys.find((k: any) => k.worker);
    expect(values.operator.keda.triggerAuthentication.secretRef).toEqual({ name: auth.workerSecretName, key: auth.workerSecretKey });
    expect(values.operator.keda.triggerAuthentication.secretRef).toEqual(workerKey.secretRef);
  });

  test("write-only keys mode: the worker key lives in the release Secret, and KEDA reads it there", () => {
    const env = environmentWithValues(
      MINIMAL_ENVIRONMENT,
      "vectorStore:\n  inboundAuth:\n    mode: keys\n    keys:\n      - name: admin\n        scopes: [read, write, admin]\n        worker: true\n",
      "wk",
    );
    const values = parse(layerRelease(synthEnvironment(env).helm).values[0]);
    const expected = workerSecret(values);
    expect(expected).toEqual({ name: "layer", key: "layer-inbound-worker-api-key" });
    expect(values.operator.keda.triggerAuthentication.secretRef).toEqual(expected);
  });

  test("the agreement check can fail: a different Secret name is told apart", () => {
    const values = parse(layerRelease(synthExample("prod").helm).values[0]);
    values.vectorStore.inboundAuth.workerSecretName = "some-other-secret";
    expect(values.operator.keda.triggerAuthentication.secretRef).not.toEqual(workerSecret(values));
  });
});

test("outside keys mode there is no worker key, so no trigger authentication is wired", () => {
  const values = parse(layerRelease(synthExample("dev").helm).values[0]);
  expect(values.vectorStore.inboundAuth.mode).not.toBe("keys");
  expect(values.operator.keda).toEqual({ enabled: true });
});

describeWithReference("KEDA's values exist in the pinned chart", "charts/keda-2.20.2/values.yaml", (file) => {
  test("the default chart version is the reference chart's, and every key we set is one of its values", () => {
    expect(synthExample("dev").helm.resource!.helm_release.keda.version).toBe("2.20.2");
    expect(unknownValueKeys(kedaValues(), file, ["nodeSelector"])).toEqual([]);
  });

  test("the check can fail: a misspelt key is reported", () => {
    expect(unknownValueKeys({ nodeSelektor: {} }, file, ["nodeSelector"])).toEqual(["nodeSelektor"]);
  });
});
