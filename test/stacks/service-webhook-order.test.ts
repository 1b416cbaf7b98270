/**
 * The AWS Load Balancer Controller's chart registers the `mservice.elbv2.k8s.aws`
 * mutating webhook with `failurePolicy: Fail`: while its pods start, every
 * Service CREATE in the cluster fails (and `vingress.elbv2.k8s.aws` every
 * Ingress). Each helm_release of every example Helm stack is rendered with
 * the real helm binary and its own values; a release whose manifests hold an
 * object one of the controller's failing webhooks admits must have the
 * controller's release (installed with helm `wait`) in its depends_on chain.
 * The webhooks are read from the controller's own rendered chart.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { helmStackName } from "../../config/environment";
import { RELEASE_NAME } from "../../config/release-values";
import { PROJECT_ROOT, StackJson, exampleEnvironmentNames, synthExample } from "../helpers/synth";
import { resourcesOfType } from "../helpers/terraform-json";
import { announceHelmSkip, findHelm, runHelm } from "../helpers/helm-binary";
import { announceReferenceSkip, referenceDir } from "../helpers/reference";

const CONTROLLER = "helm_release.load_balancer_controller";
/** What the product chart refuses to render without (../shared/reference/charts/README.md). */
const PRODUCT_CHART_REQUIRED = ["vectorStore.credential.apiKey", "dashboard.basicAuth.user", "dashboard.basicAuth.password"];
const helm = findHelm();
const reference = referenceDir();

/**
 * Where the release's chart is on disk: pinned repository charts are in
 * ../shared/reference/charts/<chart>-<version>; the product chart is the
 * reference copy of hev layer; local charts resolve from the stack's
 * working directory, as terraform resolves them.
 */
function chartDirectory(release: any, stackName: string): string {
  if (release.name === RELEASE_NAME) return path.join(reference!, "charts/hev-layer-0.1.0");
  if (release.repository) return path.join(reference!, "charts", `${release.chart}-${release.version}`);
  return path.resolve(PROJECT_ROOT, "cdktf.out/stacks", stackName, release.chart);
}

interface RenderedObject {
  readonly kind: string;
  readonly body: any;
}

const renders = new Map<string, RenderedObject[]>();

/** The release's manifests, as the helm provider would install them (write-only values as placeholders). */
function render(release: any, stackName: string, kubernetesVersion: string): RenderedObject[] {
  const chart = chartDirectory(release, stackName);
  if (!fs.existsSync(path.join(chart, "Chart.yaml"))) throw new Error(`no chart to render for release ${release.name}: ${chart}`);
  const key = JSON.stringify([chart, release.values, release.set, release.set_wo, kubernetesVersion]);
  const cached = renders.get(key);
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-service-order-"));
  try {
    const valueFiles = (release.values ?? []).flatMap((v: string, i: number) => {
      const file = path.join(dir, `values-${i}.yaml`);
      fs.writeFileSync(file, v);
      return ["-f", file];
    });
    const sets = [
      ...(release.set ?? []).flatMap((s: any) => ["--set", `${s.name}=${s.value}`]),
      ...(release.set_wo ?? []).flatMap((s: any) => ["--set-string", `${s.name}=placeholder`]),
      ...(release.set_sensitive ?? []).flatMap((s: any) => ["--set-string", `${s.name}=placeholder`]),
      // Secrets Manager mode hands the product chart its required secrets at apply time.
      ...(release.name === RELEASE_NAME ? PRODUCT_CHART_REQUIRED.flatMap((key) => ["--set-string", `${key}=placeholder`]) : []),
    ];
    const args = ["template", release.name, chart, "--namespace", release.namespace ?? "default", "--kube-version", kubernetesVersion, ...valueFiles, ...sets];
    let result = runHelm(helm as string, args);
    if (result.status !== 0 && release.name === RELEASE_NAME) {
      // Whether the product release renders with its values is the product release tests' concern;
      // here only its Services matter, and those do not depend on the values.
      process.stderr.write(
        `NOTE: the product chart does not render with ${stackName}'s values (${result.stderr.trim().split("\n")[0]}); checking its Services with the required values only\n`,
      );
      result = runHelm(helm as string, [
        "template",
        release.name,
        chart,
        "--namespace",
        release.namespace ?? "default",
        "--kube-version",
        kubernetesVersion,
        ...sets,
      ]);
    }
    if (result.status !== 0) throw new Error(`helm template of ${release.name} failed: ${result.stderr}`);
    const objects: RenderedObject[] = [];
    for (const doc of parseAllDocuments(result.stdout)) {
      const body = doc.toJS();
      if (!body?.kind) continue;
      // The load balancer controller's chart wraps its IngressClass objects in a List.
      for (const item of body.kind === "List" ? body.items : [body]) objects.push({ kind: item.kind, body: item });
    }
    renders.set(key, objects);
    return objects;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every address a resource waits for: its depends_on and the resources its arguments reference, transitively. */
export function dependencyChain(stack: StackJson, address: string): Set<string> {
  const seen = new Set<string>();
  const pending = [address];
  while (pending.length > 0) {
    const [type, name] = pending.pop()!.split(".");
    const body = stack.resource?.[type]?.[name];
    if (!body) continue;
    const { depends_on: dependsOn = [], ...rest } = body;
    const referenced = [...JSON.stringify(rest).matchAll(/\$\{([a-z0-9_]+)\.([a-zA-Z0-9_-]+)/g)]
      .filter((m) => m[1] !== "data" && m[1] !== "var" && m[1] !== "local" && m[1] !== "self")
      .map((m) => `${m[1]}.${m[2]}`);
    for (const next of [...dependsOn, ...referenced]) {
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return seen;
}

/** A rule of one of the controller's webhooks that rejects requests while the controller is not ready. */
export interface FailingRule {
  readonly webhook: string;
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
}

/**
 * The rules of the controller's webhooks with `failurePolicy: Fail` that apply
 * in every namespace (the namespace-selected ones act only on namespaces
 * labelled for them).
 */
export function failingRules(controllerObjects: readonly RenderedObject[]): FailingRule[] {
  return controllerObjects
    .filter((o) => o.kind === "MutatingWebhookConfiguration" || o.kind === "ValidatingWebhookConfiguration")
    .flatMap((o) => o.body.webhooks as any[])
    .filter((w) => w.failurePolicy === "Fail" && !w.namespaceSelector)
    .flatMap((w) =>
      (w.rules as any[]).filter((r) => r.operations.includes("CREATE")).map((r) => ({ webhook: w.name, apiGroups: r.apiGroups, resources: r.resources })),
    );
}

/** The webhook that admits an object of this apiVersion and kind, if one of the rules matches it. */
export function admittingWebhook(apiVersion: string, kind: string, rules: readonly FailingRule[]): string | undefined {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const lower = kind.toLowerCase();
  const plural = (resource: string) => resource === lower || resource === `${lower}s` || resource === `${lower}es`;
  return rules.find((r) => (r.apiGroups.includes("*") || r.apiGroups.includes(group)) && r.resources.some((x) => x === "*" || plural(x)))?.webhook;
}

/** Objects made directly by the kubernetes provider go through the same webhooks. */
const KUBERNETES_RESOURCE_KINDS: Record<string, [string, string]> = {
  kubernetes_service: ["v1", "Service"],
  kubernetes_service_v1: ["v1", "Service"],
  kubernetes_ingress_v1: ["networking.k8s.io/v1", "Ingress"],
};

function kubernetesObjectsAdmitted(stack: StackJson, rules: readonly FailingRule[]): string[] {
  const direct = Object.entries(KUBERNETES_RESOURCE_KINDS)
    .filter(([, [apiVersion, kind]]) => admittingWebhook(apiVersion, kind, rules))
    .flatMap(([type]) => Object.keys(resourcesOfType(stack, type)).map((n) => `${type}.${n}`));
  const manifests = Object.entries(resourcesOfType(stack, "kubernetes_manifest"))
    .filter(([, body]) => body.manifest?.kind && admittingWebhook(body.manifest.apiVersion ?? "v1", body.manifest.kind, rules))
    .map(([n]) => `kubernetes_manifest.${n}`);
  return [...direct, ...manifests];
}

/**
 * helm_releases (and kubernetes resources) that create an object one of the
 * controller's failing webhooks admits, but are not ordered after the controller.
 */
export function releasesNotAfterController(stack: StackJson, admitted: (address: string) => boolean, rules: readonly FailingRule[]): string[] {
  if (!stack.resource?.helm_release?.load_balancer_controller) return [];
  const releases = Object.keys(resourcesOfType(stack, "helm_release"))
    .map((name) => `helm_release.${name}`)
    .filter((address) => address !== CONTROLLER && admitted(address));
  return [...releases, ...kubernetesObjectsAdmitted(stack, rules)].filter((address) => !dependencyChain(stack, address).has(CONTROLLER));
}

if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`Service webhook ordering skipped: ${helm.skip}`, () => undefined);
} else if (!reference) {
  announceReferenceSkip("Service webhook ordering (needs ../shared/reference/charts)");
  test.skip("Service webhook ordering skipped: no ../shared/reference", () => undefined);
} else {
  const kubernetesVersion = (name: string) => `${synthExample(name).env.cluster.kubernetesVersion}.0`;
  const renderRelease = (name: string, resourceName: string) =>
    render(resourcesOfType(synthExample(name).helm, "helm_release")[resourceName], helmStackName(synthExample(name).env), kubernetesVersion(name));
  /** The failing rules of dev's controller, with dev's values (every environment uses the same chart and values shape). */
  const rules = () => failingRules(renderRelease("dev", "load_balancer_controller"));

  /** Per release: the first webhook of the controller that would admit one of its objects. */
  const admittedOf = (name: string) => {
    const { helm: stack } = synthExample(name);
    const controller = resourcesOfType(stack, "helm_release").load_balancer_controller;
    const envRules = controller ? failingRules(renderRelease(name, "load_balancer_controller")) : rules();
    const result = new Map<string, string | undefined>();
    for (const resourceName of Object.keys(resourcesOfType(stack, "helm_release"))) {
      const objects = renderRelease(name, resourceName);
      result.set(`helm_release.${resourceName}`, objects.map((o) => admittingWebhook(o.body.apiVersion, o.kind, envRules)).find(Boolean));
    }
    return { stack, rules: envRules, admitted: (address: string) => Boolean(result.get(address)), result };
  };

  describe.each(exampleEnvironmentNames())("%s", (name) => {
    test("every release that creates what the controller's failing webhooks admit (Services, Ingresses) is installed after it", () => {
      const { stack, admitted, rules: envRules } = admittedOf(name);
      expect(releasesNotAfterController(stack, admitted, envRules)).toEqual([]);
    });
  });

  test("the releases the check finds are the ones expected (it sees them)", () => {
    const { result } = admittedOf("prod");
    const found = Object.fromEntries([...result].filter(([, webhook]) => webhook));
    expect(found).toEqual({
      "helm_release.external_dns": "mservice.elbv2.k8s.aws",
      "helm_release.karpenter": "mservice.elbv2.k8s.aws",
      "helm_release.keda": "mservice.elbv2.k8s.aws",
      "helm_release.layer_release": "mservice.elbv2.k8s.aws",
      "helm_release.load_balancer_controller": "mservice.elbv2.k8s.aws",
    });
    expect(result.get("helm_release.worker_pools")).toBeUndefined();
  });

  test("the controller's chart, with our values, installs the failing Service and Ingress webhooks, and the release waits for its pods", () => {
    expect(resourcesOfType(synthExample("dev").helm, "helm_release").load_balancer_controller.wait).toBe(true);
    const byWebhook = new Map(rules().map((r) => [r.webhook, r]));
    expect(byWebhook.get("mservice.elbv2.k8s.aws")).toEqual({ webhook: "mservice.elbv2.k8s.aws", apiGroups: [""], resources: ["services"] });
    expect(byWebhook.get("vingress.elbv2.k8s.aws")).toEqual({ webhook: "vingress.elbv2.k8s.aws", apiGroups: ["networking.k8s.io"], resources: ["ingresses"] });
    expect(admittingWebhook("networking.k8s.io/v1", "Ingress", rules())).toBe("vingress.elbv2.k8s.aws");
    expect(admittingWebhook("v1", "ConfigMap", rules())).toBeUndefined();
  });

  test("a release or resource the webhooks admit that is not ordered after the controller is reported", () => {
    const { stack, admitted, rules: envRules } = admittedOf("prod");
    const broken: StackJson = JSON.parse(JSON.stringify(stack));
    delete broken.resource!.helm_release.keda.depends_on;
    delete broken.resource!.helm_release.karpenter_crd.depends_on;
    // Karpenter's controller is ordered only through its CRD release, so cutting that link is found too.
    expect(releasesNotAfterController(broken, admitted, envRules).sort()).toEqual(["helm_release.karpenter", "helm_release.keda"]);
    broken.resource!.kubernetes_service_v1 = { metrics: { metadata: { name: "metrics" }, spec: {} } };
    broken.resource!.kubernetes_ingress_v1 = { web: { metadata: { name: "web" }, spec: {} } };
    expect(releasesNotAfterController(broken, admitted, envRules)).toEqual(
      expect.arrayContaining(["kubernetes_service_v1.metrics", "kubernetes_ingress_v1.web"]),
    );
    broken.resource!.kubernetes_service_v1.metrics.depends_on = ["helm_release.load_balancer_controller"];
    expect(releasesNotAfterController(broken, admitted, envRules)).not.toContain("kubernetes_service_v1.metrics");
  });
}
