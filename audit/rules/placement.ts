/**
 * The node contract of the product chart, on the synthesized output: the
 * system node group carries the `layer.hev.dev/node-role=system` NoSchedule
 * taint the chart tolerates, and everything the stacks place on those nodes
 * (chart values with a system node selector, CoreDNS, the EFS CSI
 * controller) tolerates it. A pod that selects the system nodes without the
 * toleration stays Pending forever; no scanner sees chart values.
 */
import { fail, judge } from "../findings";
import { allReleaseValues, objectsIn } from "../helm-values";
import { asList } from "../terraform";
import type { AuditContext, Finding, ResourceRef, Rule } from "../types";
import { ADDON_CATALOG } from "../../addons/catalog";

const ROLE_LABEL = "layer.hev.dev/node-role";
const SYSTEM_TAINT = { key: ROLE_LABEL, value: "system", effect: "NoSchedule" };

/** Kubernetes toleration matching (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/). */
export function toleratesSystemTaint(tolerations: unknown): boolean {
  return asList<any>(tolerations as any).some((t) => {
    if (!t || typeof t !== "object") return false;
    if (t.effect && t.effect !== SYSTEM_TAINT.effect) return false;
    if ((t.operator ?? "Equal") === "Exists") return !t.key || t.key === SYSTEM_TAINT.key;
    return t.key === SYSTEM_TAINT.key && t.value === SYSTEM_TAINT.value;
  });
}

function systemNodeGroups(ctx: AuditContext): ResourceRef[] {
  return ctx.resources("aws_eks_node_group").filter((g) => g.body.labels?.[ROLE_LABEL] === "system");
}

function addonConfiguration(addon: ResourceRef): any {
  const text = addon.body.configuration_values;
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The value at a dotted path (`controller.tolerations`). */
const valueAt = (value: any, path: string): unknown => path.split(".").reduce((v, key) => v?.[key], value);

/**
 * Where each EKS add-on that runs a Deployment keeps its tolerations in
 * configuration_values: the cluster's own CoreDNS, and the managed add-ons
 * the cluster add-ons install (addons/catalog.ts).
 */
const ADDON_TOLERATIONS: Record<string, string> = {
  coredns: "tolerations",
  ...Object.fromEntries(ADDON_CATALOG.flatMap((addon) => addon.managedAddons ?? []).map((m) => [m.addonName, m.tolerationsPath])),
};
const tolerationAddons = Object.keys(ADDON_TOLERATIONS).join(", ");

export const PLACEMENT_RULES: Rule[] = [
  {
    id: "NODE-01",
    title: "System nodes tainted like the product's install; what runs there tolerates it",
    resourceTypes: ["aws_eks_node_group", "helm_release values", `aws_eks_addon (${tolerationAddons})`],
    checks: `a node group labelled ${ROLE_LABEL}=system has the taint ${ROLE_LABEL}=system:NO_SCHEDULE; every values object selecting ${ROLE_LABEL}: system tolerates it; with a tainted system node group, the ${Object.keys(ADDON_TOLERATIONS).join(" and ")} add-ons tolerate it in configuration_values`,
    why: "the product chart's pods tolerate that taint and nothing else should share the NVMe node; a system add-on without the toleration never schedules",
    scanners: [],
    check: (ctx) => {
      const findings: Finding[] = [];
      const groups = systemNodeGroups(ctx);
      for (const group of groups) {
        const taints = asList<any>(group.body.taint);
        const tainted = taints.some((t) => t?.key === SYSTEM_TAINT.key && t?.value === SYSTEM_TAINT.value && t?.effect === "NO_SCHEDULE");
        findings.push(...judge(group, [[tainted, `labelled ${ROLE_LABEL}=system but not tainted ${ROLE_LABEL}=system:NO_SCHEDULE`]], "system label and taint"));
      }
      for (const v of allReleaseValues(ctx)) {
        const selecting = v.documents.flatMap((d) => objectsIn(d)).filter(({ object }) => object.nodeSelector?.[ROLE_LABEL] === "system");
        for (const { path, object } of selecting) {
          findings.push(
            ...judge(
              v.release,
              [
                [
                  toleratesSystemTaint(object.tolerations),
                  `${path ? `${path}.` : ""}nodeSelector selects the system nodes but ${path ? `${path}.` : ""}tolerations do not tolerate ${ROLE_LABEL}=system:NoSchedule`,
                ],
              ],
              `${path || "values"}: selects and tolerates the system nodes`,
            ),
          );
        }
      }
      if (groups.some((g) => asList<any>(g.body.taint).length > 0)) {
        for (const addon of ctx.resources("aws_eks_addon")) {
          const path = ADDON_TOLERATIONS[String(addon.body.addon_name)];
          if (!path) continue;
          const config = addonConfiguration(addon);
          if (config === undefined && addon.body.configuration_values !== undefined) {
            findings.push(fail(addon, "configuration_values is not a literal JSON document"));
            continue;
          }
          const message = `${addon.body.addon_name} does not tolerate ${ROLE_LABEL}=system:NoSchedule in configuration_values; it cannot run on the tainted system nodes`;
          findings.push(...judge(addon, [[toleratesSystemTaint(valueAt(config, path)), message]], "tolerates the system taint"));
        }
      }
      return findings;
    },
  },
];
