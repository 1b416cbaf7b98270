/**
 * The parts of the Kubernetes scheduler's filter that decide where a pod may
 * run: nodeSelector, required node affinity, and NoSchedule/NoExecute taints
 * against tolerations (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/).
 * Enough to prove that a rendered pod lands on the nodes we create.
 */
export interface NodeModel {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly taints: ReadonlyArray<{ key: string; value?: string; effect: string }>;
}

export function tolerates(tolerations: any[] | undefined, taint: NodeModel["taints"][number]): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if ((t.operator ?? "Equal") === "Exists") return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
  });
}

function matchesExpression(labels: Record<string, string>, e: { key: string; operator: string; values?: string[] }): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, e.key);
  switch (e.operator) {
    case "In":
      return has && (e.values ?? []).includes(labels[e.key]);
    case "NotIn":
      return !has || !(e.values ?? []).includes(labels[e.key]);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      throw new Error(`unsupported node selector operator ${e.operator}`);
  }
}

/** Why the pod cannot run on the node; empty when it can. */
export function schedulingProblems(podSpec: any, node: NodeModel): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries<string>(podSpec.nodeSelector ?? {})) {
    if (node.labels[key] !== value) problems.push(`nodeSelector ${key}=${value}`);
  }
  const terms = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t: any) => (t.matchExpressions ?? []).every((e: any) => matchesExpression(node.labels, e)))) {
    problems.push("required node affinity");
  }
  for (const taint of node.taints) {
    if (taint.effect !== "PreferNoSchedule" && !tolerates(podSpec.tolerations, taint)) problems.push(`taint ${taint.key}=${taint.value ?? ""}:${taint.effect}`);
  }
  return problems;
}

/** Every pod template in rendered objects, named `Kind/name`. */
export function podSpecs(objects: any[]): Array<{ name: string; spec: any }> {
  const out: Array<{ name: string; spec: any }> = [];
  for (const o of objects) {
    const spec = o.kind === "CronJob" ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
    if (["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"].includes(o.kind) && spec) out.push({ name: `${o.kind}/${o.metadata.name}`, spec });
  }
  return out;
}
