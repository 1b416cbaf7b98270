import { karpenterValues } from "../../addons/karpenter/helm";
import { KARPENTER_CHART_REPOSITORY } from "../../addons/karpenter/catalog";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";
import { describeWithReference } from "../helpers/reference";
import { unknownValueKeys } from "../helpers/values-keys";
import { parse } from "yaml";

const FREE_FORM = ["serviceAccount.annotations", "nodeSelector", "affinity", "topologySpreadConstraints", "controller.env", "podDisruptionBudget"];
const releases = resourcesOfType(synthExample("dev").helm, "helm_release");
const values = parse(releases.karpenter.values[0]);

test("karpenter-crd, then karpenter, both pinned and pulled from public ECR without credentials", () => {
  for (const name of ["karpenter_crd", "karpenter"]) {
    expect(releases[name]).toMatchObject({ repository: KARPENTER_CHART_REPOSITORY, version: "1.14.1", namespace: "kube-system" });
    expect(releases[name].repository_username).toBeUndefined();
    expect(releases[name].repository_password).toBeUndefined();
  }
  expect(KARPENTER_CHART_REPOSITORY).toBe("oci://public.ecr.aws/karpenter");
  expect(releases.karpenter.depends_on).toEqual(["helm_release.karpenter_crd"]);
  expect(releases.karpenter.skip_crds).toBe(true);
});

test("settings name the cluster and the interruption queue; the service account carries the IRSA role", () => {
  expect(values.settings).toEqual({ clusterName: "layer-dev", interruptionQueue: "layer-dev-karpenter-interruptions" });
  expect(values.serviceAccount).toEqual({
    create: true,
    name: "karpenter",
    annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/layer-dev-karpenter-controller" },
  });
  expect(values.controller.env).toEqual([{ name: "AWS_REGION", value: "us-east-1" }]);
});

test("the controller runs on the system node group, never on nodes it launches", () => {
  expect(values.nodeSelector["layer.hev.dev/node-role"]).toBe("system");
  expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
    { key: "karpenter.sh/nodepool", operator: "DoesNotExist" },
  ]);
});

test("replicas fit the always-on system nodes: one on a single i4i.large, two when there are two", () => {
  expect(values.replicas).toBe(1);
  expect(parse(resourcesOfType(synthExample("prod").helm, "helm_release").karpenter.values[0]).replicas).toBe(2);
  const three = environmentFromYaml(`${MINIMAL_ENVIRONMENT}cluster:\n  systemNodeGroup: {minSize: 3, desiredSize: 3, maxSize: 4}\n`);
  expect(parse(resourcesOfType(synthEnvironment(three).helm, "helm_release").karpenter.values[0]).replicas).toBe(2);
  // Hostname anti-affinity is required, so replicas never exceed the nodes that always exist.
  expect(values.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe("kubernetes.io/hostname");
  // A zone spread that cannot be met (all system nodes in one zone) must not leave a replica Pending.
  expect(values.topologySpreadConstraints[0].whenUnsatisfiable).toBe("ScheduleAnyway");
});

describeWithReference("Karpenter values keys", "karpenter-1.14.1/values.yaml", (file) => {
  test("every key we set exists in the chart's values.yaml", () => {
    expect(unknownValueKeys(values, file, FREE_FORM)).toEqual([]);
  });

  test("a typo fails", () => {
    const typo = karpenterValues({ clusterName: "c", region: "r", interruptionQueueName: "q", controllerRoleArn: "a", chartVersion: "1.14.1" }) as any;
    typo.setings = typo.settings;
    typo.settings = { ...typo.settings, interuptionQueue: "q" };
    expect(unknownValueKeys(typo, file, FREE_FORM).sort()).toEqual([
      "setings",
      "setings.clusterName",
      "setings.interruptionQueue",
      "settings.interuptionQueue",
    ]);
  });
});
