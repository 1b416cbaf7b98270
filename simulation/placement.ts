/**
 * Where a pod can land: its nodeSelector, required node affinity and
 * tolerations evaluated against each node shape, as the scheduler's
 * NodeAffinity and TaintToleration filters do
 * (https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/,
 * https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/).
 */
import { LabelDomain, NodeShape, Taint, labelDomain } from "./nodes";
import { isRecord } from "./model";

/** Whether some node of the shape can carry a label value that satisfies one expression. */
function expressionHolds(domain: LabelDomain, operator: string, values: readonly string[]): boolean {
  switch (operator) {
    case "In":
      return domain === "any" || (Array.isArray(domain) && domain.some((v) => values.includes(v)));
    case "NotIn":
      return domain === undefined || domain === "any" || domain.some((v) => !values.includes(v));
    case "Exists":
      return domain !== undefined;
    case "DoesNotExist":
      return domain === undefined;
    case "Gt":
    case "Lt": {
      if (domain === "any") return true;
      if (!Array.isArray(domain)) return false;
      const bound = Number(values[0]);
      return domain.some((v) => (operator === "Gt" ? Number(v) > bound : Number(v) < bound));
    }
    default:
      return false;
  }
}

export function tolerates(tolerations: readonly any[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (!isRecord(t)) return false;
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === "Exists") return !t.key || t.key === taint.key;
    return t.key === taint.key && String(t.value ?? "") === String(taint.value ?? "");
  });
}

export interface PlacementVerdict {
  readonly fits: boolean;
  /** Why not, in one line. */
  readonly reason?: string;
}

/** Whether a pod may be scheduled on a node of this shape (placement only; capacity is a separate check). */
export function placeOn(pod: Record<string, any>, node: NodeShape, requestsGpu: boolean): PlacementVerdict {
  const selector = isRecord(pod.nodeSelector) ? pod.nodeSelector : {};
  for (const [key, value] of Object.entries(selector)) {
    if (!expressionHolds(labelDomain(node, key), "In", [String(value)]))
      return { fits: false, reason: `nodeSelector ${key}=${value} matches no ${node.id} node` };
  }
  const terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (Array.isArray(terms) && terms.length > 0) {
    // Terms are ORed, expressions within a term ANDed.
    const failing = terms.map((term: any) => {
      const expressions = Array.isArray(term?.matchExpressions) ? term.matchExpressions : [];
      const bad = expressions.find(
        (e: any) => !expressionHolds(labelDomain(node, String(e?.key)), String(e?.operator), Array.isArray(e?.values) ? e.values.map(String) : []),
      );
      return bad ? `${bad.key} ${bad.operator} ${(bad.values ?? []).join(",")}` : undefined;
    });
    if (failing.every((f: string | undefined) => f !== undefined))
      return { fits: false, reason: `required node affinity (${failing.join(" | ")}) matches no ${node.id} node` };
  }
  const tolerations = Array.isArray(pod.tolerations) ? pod.tolerations : [];
  const blocking = node.taints.find((t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerates(tolerations, t));
  if (blocking)
    return { fits: false, reason: `does not tolerate ${node.id}'s taint ${blocking.key}${blocking.value ? `=${blocking.value}` : ""}:${blocking.effect}` };
  if (requestsGpu && !node.gpu) return { fits: false, reason: `requests nvidia.com/gpu but ${node.id} has no GPUs` };
  return { fits: true };
}
