import { parse } from "yaml";
import { describeWithReference } from "../helpers/reference";
import { unknownValueKeys } from "../helpers/values-keys";
import { kedaValues } from "../../addons/keda/helm";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { block, layerRelease, resourcesOfType } from "../helpers/terraform-json";

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

  test("each KEDA pod requests 25m CPU, keeping the chart's memory requests", () => {
    const resources = parse(keda.values[0]).resources;
    expect(resources).toEqual({ operator: { requests: { cpu: "25m" } }, metricServer: { requests: { cpu: "25m" } }, webhooks: { requests: { cpu: "25m" } } });
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

describeWithReference("KEDA's values exist in the pinned chart", "charts/keda-2.20.2/values.yaml", (file) => {
  test("the default chart version is the reference chart's, and every key we set is one of its values", () => {
    expect(synthExample("dev").helm.resource!.helm_release.keda.version).toBe("2.20.2");
    expect(unknownValueKeys(kedaValues(), file, ["nodeSelector"])).toEqual([]);
  });

  test("the check can fail: a misspelt key is reported", () => {
    expect(unknownValueKeys({ nodeSelektor: {} }, file, ["nodeSelector"])).toEqual(["nodeSelektor"]);
  });
});
