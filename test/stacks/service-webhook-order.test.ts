/**
 * The AWS Load Balancer Controller's chart registers the `mservice.elbv2.k8s.aws`
 * mutating webhook with `failurePolicy: Fail`: while its pods start, every
 * Service CREATE in the cluster fails. Each helm_release of every example
 * Helm stack is rendered with the real helm binary and its own values; a
 * release whose manifests hold a Service must have the controller's release
 * (installed with helm `wait`) in its depends_on chain.
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
      process.stderr.write(`NOTE: the product chart does not render with ${stackName}'s values (${result.stderr.trim().split("\n")[0]}); checking its Services with the required values only\n`);
      result = runHelm(helm as string, ["template", release.name, chart, "--namespace", release.namespace ?? "default", "--kube-version", kubernetesVersion, ...sets]);
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

/** Services made directly by the kubernetes provider: the same webhook admits them. */
function kubernetesServices(stack: StackJson): string[] {
  const direct = ["kubernetes_service", "kubernetes_service_v1"].flatMap((type) => Object.keys(resourcesOfType(stack, type)).map((n) => `${type}.${n}`));
  const manifests = Object.entries(resourcesOfType(stack, "kubernetes_manifest"))
    .filter(([, body]) => body.manifest?.kind === "Service")
    .map(([n]) => `kubernetes_manifest.${n}`);
  return [...direct, ...manifests];
}

/** helm_releases (and kubernetes resources) that create a Service but are not ordered after the controller. */
export function releasesNotAfterController(stack: StackJson, createsService: (address: string) => boolean): string[] {
  if (!stack.resource?.helm_release?.load_balancer_controller) return [];
  const releases = Object.keys(resourcesOfType(stack, "helm_release"))
    .map((name) => `helm_release.${name}`)
    .filter((address) => address !== CONTROLLER && createsService(address));
  return [...releases, ...kubernetesServices(stack)].filter((address) => !dependencyChain(stack, address).has(CONTROLLER));
}

if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`Service webhook ordering skipped: ${helm.skip}`, () => undefined);
} else if (!reference) {
  announceReferenceSkip("Service webhook ordering (needs ../shared/reference/charts)");
  test.skip("Service webhook ordering skipped: no ../shared/reference", () => undefined);
} else {
  const servicesOf = (name: string) => {
    const { env, helm: stack } = synthExample(name);
    const releases = resourcesOfType(stack, "helm_release");
    const result = new Map<string, boolean>();
    for (const [resourceName, release] of Object.entries(releases)) {
      const objects = render(release, helmStackName(env), `${env.cluster.kubernetesVersion}.0`);
      result.set(`helm_release.${resourceName}`, objects.some((o) => o.kind === "Service"));
    }
    return { stack, createsService: (address: string) => result.get(address) ?? false, result };
  };

  describe.each(exampleEnvironmentNames())("%s", (name) => {
    test("every release whose chart renders a Service is installed after the load balancer controller", () => {
      const { stack, createsService } = servicesOf(name);
      expect(releasesNotAfterController(stack, createsService)).toEqual([]);
    });
  });

  test("the releases that create Services are the ones expected (the check sees them)", () => {
    const { result } = servicesOf("prod");
    const withService = [...result].filter(([, s]) => s).map(([a]) => a).sort();
    expect(withService).toEqual(
      ["external_dns", "karpenter", "keda", "layer_release", "load_balancer_controller"].map((n) => `helm_release.${n}`),
    );
    expect(result.get("helm_release.worker_pools")).toBe(false);
  });

  test("the controller's chart, with our values, installs the failing Service webhook, and the release waits for its pods", () => {
    const { env, helm: stack } = synthExample("dev");
    const release = resourcesOfType(stack, "helm_release").load_balancer_controller;
    expect(release.wait).toBe(true);
    const webhooks = render(release, helmStackName(env), `${env.cluster.kubernetesVersion}.0`)
      .filter((o) => o.kind === "MutatingWebhookConfiguration")
      .flatMap((o) => o.body.webhooks);
    const serviceWebhook = webhooks.find((w: any) => w.name === "mservice.elbv2.k8s.aws");
    expect(serviceWebhook).toMatchObject({ failurePolicy: "Fail", rules: [{ resources: ["services"], operations: ["CREATE"] }] });
    expect(serviceWebhook.namespaceSelector).toBeUndefined();
  });

  test("a release with a Service that is not ordered after the controller is reported", () => {
    const { stack, createsService } = servicesOf("prod");
    const broken: StackJson = JSON.parse(JSON.stringify(stack));
    delete broken.resource!.helm_release.keda.depends_on;
    delete broken.resource!.helm_release.karpenter_crd.depends_on;
    // Karpenter's controller is ordered only through its CRD release, so cutting that link is found too.
    expect(releasesNotAfterController(broken, createsService).sort()).toEqual(["helm_release.karpenter", "helm_release.keda"]);
    broken.resource!.kubernetes_service_v1 = { metrics: { metadata: { name: "metrics" }, spec: {} } };
    expect(releasesNotAfterController(broken, createsService)).toContain("kubernetes_service_v1.metrics");
    broken.resource!.kubernetes_service_v1.metrics.depends_on = ["helm_release.load_balancer_controller"];
    expect(releasesNotAfterController(broken, createsService)).not.toContain("kubernetes_service_v1.metrics");
  });
}
