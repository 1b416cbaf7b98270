/**
 * Every Secret and ConfigMap a pod uses (env, envFrom, volumes, projected
 * volumes, image pull secrets), every KEDA TriggerAuthentication secret and
 * every VectorStore credential is created by some release or by the stack,
 * or is a documented prerequisite: a Secrets Manager secret of the AWS stack
 * that something in the cluster syncs (docs/secrets.md). A pod's
 * ServiceAccount must exist too.
 */
import type { SimulationContext } from "../context";
import { Finding, KubeObject, objectLabel, resourcesOf } from "../model";

type Kind = "Secret" | "ConfigMap" | "ServiceAccount";

interface Reference {
  readonly kind: Kind;
  readonly namespace: string;
  readonly name: string;
  readonly via: string;
}

/** Objects Kubernetes or a controller creates at run time, not any manifest. */
const CREATED_AT_RUN_TIME: { kind: Kind; name: RegExp; by: string }[] = [
  // https://kubernetes.io/docs/concepts/configuration/configmap/ (kube-root-ca.crt is published into every namespace)
  { kind: "ConfigMap", name: /^kube-root-ca\.crt$/, by: "the kube-controller-manager's root CA publisher" },
  { kind: "ServiceAccount", name: /^default$/, by: "the ServiceAccount controller" },
  // KEDA generates its webhook and metrics-server certificates (certificates.autoGenerate: true).
  { kind: "Secret", name: /^kedaorg-certs$/, by: "the KEDA operator's certificate rotation" },
];

function podReferences(pod: any, namespace: string): Reference[] {
  const refs: Reference[] = [];
  const push = (kind: Kind, name: unknown, via: string, optional: unknown) => {
    if (typeof name === "string" && name && optional !== true) refs.push({ kind, namespace, name, via });
  };
  const containers = [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])];
  for (const c of containers) {
    for (const e of c?.env ?? []) {
      push("Secret", e?.valueFrom?.secretKeyRef?.name, `env ${e?.name} of container ${c?.name}`, e?.valueFrom?.secretKeyRef?.optional);
      push("ConfigMap", e?.valueFrom?.configMapKeyRef?.name, `env ${e?.name} of container ${c?.name}`, e?.valueFrom?.configMapKeyRef?.optional);
    }
    for (const e of c?.envFrom ?? []) {
      push("Secret", e?.secretRef?.name, `envFrom of container ${c?.name}`, e?.secretRef?.optional);
      push("ConfigMap", e?.configMapRef?.name, `envFrom of container ${c?.name}`, e?.configMapRef?.optional);
    }
  }
  for (const v of pod?.volumes ?? []) {
    push("Secret", v?.secret?.secretName, `volume ${v?.name}`, v?.secret?.optional);
    push("ConfigMap", v?.configMap?.name, `volume ${v?.name}`, v?.configMap?.optional);
    for (const s of v?.projected?.sources ?? []) {
      push("Secret", s?.secret?.name, `projected volume ${v?.name}`, s?.secret?.optional);
      push("ConfigMap", s?.configMap?.name, `projected volume ${v?.name}`, s?.configMap?.optional);
    }
  }
  for (const s of pod?.imagePullSecrets ?? []) push("Secret", s?.name, "imagePullSecrets", false);
  push("ServiceAccount", pod?.serviceAccountName ?? "default", "serviceAccountName", false);
  return refs;
}

function customResourceReferences(o: KubeObject): Reference[] {
  const namespace = o.metadata.namespace ?? "default";
  if (o.kind === "TriggerAuthentication") {
    return (Array.isArray(o.spec?.secretTargetRef) ? o.spec.secretTargetRef : [])
      .filter((r: any) => typeof r?.name === "string")
      .map((r: any) => ({ kind: "Secret" as const, namespace, name: r.name, via: `secretTargetRef ${r.parameter ?? ""}`.trim() }));
  }
  if (o.kind === "VectorStore") {
    const refs: Reference[] = [];
    const credential = o.spec?.credential?.secretRef;
    if (typeof credential?.name === "string") refs.push({ kind: "Secret", namespace, name: credential.name, via: "spec.credential.secretRef" });
    for (const k of Array.isArray(o.spec?.inboundAuth?.keys) ? o.spec.inboundAuth.keys : []) {
      if (typeof k?.secretRef?.name === "string")
        refs.push({ kind: "Secret", namespace, name: k.secretRef.name, via: `spec.inboundAuth.keys[${k.name}].secretRef` });
    }
    return refs;
  }
  return [];
}

export interface Prerequisite {
  readonly what: string;
  readonly why: string;
}

export function referencesCheck(ctx: SimulationContext): { findings: Finding[]; prerequisites: Prerequisite[] } {
  const created = new Set<string>();
  for (const { object } of ctx.objects) {
    const ns = object.metadata.namespace ?? "default";
    if (object.kind === "Secret" || object.kind === "ConfigMap" || object.kind === "ServiceAccount")
      created.add(`${object.kind} ${ns}/${object.metadata.name}`);
    if (object.kind === "ExternalSecret") created.add(`Secret ${ns}/${object.spec?.target?.name ?? object.metadata.name}`);
  }
  const synced = resourcesOf(ctx.aws, "aws_secretsmanager_secret").map(({ body }) =>
    String(body.name ?? "")
      .split("/")
      .pop()!,
  );
  const findings: Finding[] = [];
  const prerequisites: Prerequisite[] = [];
  const skipped = ctx.releases.filter((r) => r.skip).map((r) => r.address);
  const users: { object: KubeObject; address: string; chart: string; refs: Reference[] }[] = [];
  for (const w of ctx.workloads)
    users.push({
      object: { apiVersion: "v1", kind: w.kind, metadata: { name: w.name, namespace: w.namespace } },
      address: w.origin.address,
      chart: w.origin.chart,
      refs: podReferences(w.pod, w.namespace),
    });
  for (const { object, origin } of ctx.objects) {
    const refs = customResourceReferences(object);
    if (refs.length) users.push({ object, address: origin.address, chart: origin.chart, refs });
  }
  for (const u of users) {
    // Managed add-ons' own objects are EKS's business.
    if (u.address.startsWith("aws_eks_addon.")) continue;
    for (const r of u.refs) {
      const key = `${r.kind} ${r.namespace}/${r.name}`;
      const where = { subject: `${objectLabel(u.object)} → ${key}`, address: u.address, chart: u.chart };
      const runtime = CREATED_AT_RUN_TIME.find((x) => x.kind === r.kind && x.name.test(r.name));
      if (created.has(key)) findings.push({ check: "references", status: "pass", ...where, message: `${r.via}: rendered by the stacks` });
      else if (runtime) findings.push({ check: "references", status: "pass", ...where, message: `${r.via}: created at run time by ${runtime.by}` });
      else if (r.kind === "Secret" && synced.includes(r.name)) {
        findings.push({
          check: "references",
          status: "unknown",
          ...where,
          message: `${r.via}: a prerequisite, synced from the Secrets Manager secret of the same name (docs/secrets.md)`,
        });
        prerequisites.push({ what: key, why: `synced from Secrets Manager for ${objectLabel(u.object)} (docs/secrets.md)` });
      } else if (skipped.length > 0) {
        findings.push({
          check: "references",
          status: "unknown",
          ...where,
          message: `${r.via}: no rendered release creates ${key}, but ${skipped.join(", ")} could not be rendered`,
        });
      } else if (ctx.mode !== "fresh-cluster") {
        // In a cluster the platform team runs, objects the release only references may be theirs to create.
        findings.push({
          check: "references",
          status: "unknown",
          ...where,
          message: `${r.via}: not created by these stacks; in ${ctx.mode} mode it must exist before the install`,
        });
        prerequisites.push({ what: key, why: `used by ${objectLabel(u.object)} (${r.via}); ${ctx.mode} mode: create it before the install` });
      } else
        findings.push({
          check: "references",
          status: "fail",
          ...where,
          message: `${r.via}: no release or resource creates ${key}, and it is not a documented prerequisite`,
        });
    }
  }
  return { findings, prerequisites };
}
