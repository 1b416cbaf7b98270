/**
 * Ordering: a custom resource is installed after its CRD (from the chart's
 * own `crds/` directory, or by a release it waits for), and a release that
 * creates Services waits for a fail-closed admission webhook that
 * intercepts Services, when another release installs one. Helm applies a
 * release's templates in one go, so a CRD in `templates/` does not precede a
 * resource of its kind in the same release
 * (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/).
 */
import type { SimulationContext } from "../context";
import { dependencyClosure } from "../context";
import { Finding, KubeObject, isRecord, objectLabel } from "../model";

/** API groups the API server serves itself. */
const BUILT_IN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "rbac.authorization.k8s.io",
  "networking.k8s.io",
  "storage.k8s.io",
  "scheduling.k8s.io",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "node.k8s.io",
  "certificates.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "resource.k8s.io",
]);

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");

function selectorMatches(selector: any, labels: Record<string, string>): boolean {
  if (!isRecord(selector)) return true;
  for (const [k, v] of Object.entries(isRecord(selector.matchLabels) ? selector.matchLabels : {})) if (labels[k] !== String(v)) return false;
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const has = e.key in labels;
    const values: string[] = (e.values ?? []).map(String);
    if (e.operator === "In" && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** Whether a webhook configured to fail closed intercepts the creation of this Service. */
function interceptsService(webhook: any, service: KubeObject): boolean {
  if ((webhook?.failurePolicy ?? "Fail") !== "Fail") return false;
  const rules = Array.isArray(webhook?.rules) ? webhook.rules : [];
  const matchesRule = rules.some(
    (r: any) =>
      [r?.apiGroups ?? []].flat().some((g: string) => g === "" || g === "*") &&
      [r?.resources ?? []].flat().some((x: string) => x === "services" || x === "*") &&
      [r?.operations ?? []].flat().some((o: string) => o === "CREATE" || o === "*"),
  );
  if (!matchesRule) return false;
  const namespaceLabels = { "kubernetes.io/metadata.name": String(service.metadata.namespace ?? "default") };
  return selectorMatches(webhook.objectSelector, service.metadata.labels ?? {}) && selectorMatches(webhook.namespaceSelector, namespaceLabels);
}

export function orderingCheck(ctx: SimulationContext): { findings: Finding[]; prerequisites: { what: string; why: string }[] } {
  const findings: Finding[] = [];
  const prerequisites = new Map<string, { what: string; why: string }>();
  const skipped = ctx.releases.filter((r) => r.skip).map((r) => r.address);
  const crds = new Map<string, { address: string; fromCrdsDir: boolean }[]>();
  for (const { object, origin } of ctx.objects) {
    if (object.kind !== "CustomResourceDefinition") continue;
    const key = `${object.spec?.group}/${object.spec?.names?.kind}`;
    crds.set(key, [...(crds.get(key) ?? []), { address: origin.address, fromCrdsDir: Boolean(origin.fromCrdsDir) }]);
  }
  for (const { object, origin } of ctx.objects) {
    const group = groupOf(String(object.apiVersion));
    if (BUILT_IN_GROUPS.has(group) || origin.address.startsWith("aws_eks_addon.")) continue;
    const where = { subject: objectLabel(object), address: origin.address, chart: origin.chart };
    const providers = crds.get(`${group}/${object.kind}`) ?? [];
    const before = dependencyClosure(ctx, origin.address);
    const own = providers.find((p) => p.address === origin.address);
    const earlier = providers.find((p) => before.has(p.address));
    if (own?.fromCrdsDir)
      findings.push({ check: "ordering", status: "pass", ...where, message: `its CRD comes from the chart's crds/ directory, applied before the templates` });
    else if (earlier)
      findings.push({ check: "ordering", status: "pass", ...where, message: `its CRD is installed by ${earlier.address}, which this release waits for` });
    else if (own)
      findings.push({
        check: "ordering",
        status: "fail",
        ...where,
        message: `its CRD is a template of the same release: the first install fails with "no matches for kind ${object.kind}"`,
      });
    else if (providers.length > 0)
      findings.push({
        check: "ordering",
        status: "fail",
        ...where,
        message: `its CRD is installed by ${providers.map((p) => p.address).join(", ")}, which ${origin.address} does not wait for (depends_on)`,
      });
    else if (skipped.length > 0)
      findings.push({
        check: "ordering",
        status: "unknown",
        ...where,
        message: `no rendered release installs the CRD for ${group}/${object.kind}, but ${skipped.join(", ")} could not be rendered`,
      });
    else {
      findings.push({
        check: "ordering",
        status: ctx.mode === "fresh-cluster" ? "fail" : "unknown",
        ...where,
        message: `no release installs the CRD for ${group}/${object.kind}`,
      });
      if (ctx.mode !== "fresh-cluster")
        prerequisites.set(`${group}/${object.kind}`, {
          what: `the CRD of ${group}/${object.kind}`,
          why: `${ctx.mode} mode: installed by the platform team before ${origin.address}`,
        });
    }
  }

  const webhooks: { address: string; name: string; webhook: any; wait: boolean }[] = [];
  for (const { object, origin } of ctx.objects) {
    if (object.kind !== "MutatingWebhookConfiguration" && object.kind !== "ValidatingWebhookConfiguration") continue;
    const release = ctx.releases.find((r) => r.address === origin.address);
    for (const w of Array.isArray((object as any).webhooks) ? (object as any).webhooks : [])
      webhooks.push({ address: origin.address, name: `${object.kind} ${object.metadata.name} (${w?.name})`, webhook: w, wait: release?.wait ?? true });
  }
  const serviceReleases = new Map<string, KubeObject[]>();
  for (const { object, origin } of ctx.objects)
    if (object.kind === "Service") serviceReleases.set(origin.address, [...(serviceReleases.get(origin.address) ?? []), object]);
  for (const [address, services] of serviceReleases) {
    const before = dependencyClosure(ctx, address);
    for (const hook of webhooks) {
      if (hook.address === address) continue;
      const intercepted = services.filter((s) => interceptsService(hook.webhook, s));
      if (intercepted.length === 0) continue;
      const where = { subject: `${address} Services`, address, chart: ctx.releases.find((r) => r.address === address)?.chart };
      if (before.has(hook.address) && hook.wait)
        findings.push({ check: "ordering", status: "pass", ...where, message: `waits for ${hook.address}, whose ${hook.name} intercepts its Services` });
      else
        findings.push({
          check: "ordering",
          status: "fail",
          ...where,
          message: `${intercepted.map(objectLabel).join(", ")} pass through ${hook.name} of ${hook.address}, which fails closed; ${before.has(hook.address) ? `${hook.address} does not wait for its pods (wait = false)` : `${address} does not depend on ${hook.address}`}, so the first install can fail calling a webhook with no endpoint`,
        });
    }
  }
  return { findings, prerequisites: [...prerequisites.values()] };
}
