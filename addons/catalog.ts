/**
 * The cluster add-ons as pure data: each one's Helm releases (chart
 * coordinates, namespace, pinned version, where its pods run), its EKS
 * managed add-ons and its `enabled` rule. The stacks build add-ons through
 * addons/registry.ts, which pairs each entry with its constructs; the audit,
 * the install simulation and the review read only this list (it imports
 * nothing but config/, so the layers below the stacks may iterate it).
 */
import type { Environment } from "../config/environment";
import { LOAD_BALANCER_CONTROLLER_CATALOG } from "./load-balancer-controller/catalog";
import { KARPENTER_CATALOG } from "./karpenter/catalog";
import { WORKER_POOLS_CATALOG } from "./worker-pools/catalog";
import { EFS_CATALOG } from "./efs/catalog";
import { KEDA_CATALOG } from "./keda/catalog";
import { EXTERNAL_DNS_CATALOG } from "./external-dns/catalog";

export type AddonName = "load-balancer-controller" | "karpenter" | "worker-pools" | "efs" | "keda" | "external-dns";

/**
 * Where a release's pods run: `system-nodes` (node selector
 * `layer.hev.dev/node-role=system` and the toleration of its NoSchedule
 * taint, config/node-roles.ts), `gpu-nodes` (a DaemonSet on the GPU pool
 * only), or `no-pods` (CRDs or custom resources).
 */
export type AddonPlacement = "system-nodes" | "gpu-nodes" | "no-pods";

/** A chart an add-on installs, without the version (that is the environment's). */
export interface AddonChart {
  /** The helm release name (`karpenter`). */
  readonly releaseName: string;
  /** Chart name, or for a chart of this project the path Terraform reads it from. */
  readonly chart: string;
  /** Chart repository (`https://…` or `oci://…`); none for a chart of this project. */
  readonly repository?: string;
  readonly namespace: string;
  /** The release creates its namespace. @default false */
  readonly createNamespace?: boolean;
  readonly placement: AddonPlacement;
}

/** A release an enabled add-on installs in one environment. */
export interface AddonRelease extends AddonChart {
  /** The exact chart version from the environment file; none for a chart of this project. */
  readonly version?: string;
}

/** An EKS managed add-on that belongs to a cluster add-on, and where its controller's tolerations live. */
export interface AddonManagedAddon {
  /** `aws_eks_addon.addon_name` (`aws-efs-csi-driver`). */
  readonly addonName: string;
  /** Dotted path of the tolerations in its `configuration_values` (`controller.tolerations`). */
  readonly tolerationsPath: string;
}

export interface AddonCatalogEntry {
  readonly name: AddonName;
  /** A line for the review and the docs. */
  readonly description: string;
  /** The environment file section that switches it (`karpenter.enabled`). */
  readonly switch: string;
  /** Every chart it may install (some only with a setting: the NVIDIA plugin with a GPU pool). */
  readonly charts: readonly AddonChart[];
  /** Whether the environment installs it. */
  enabled(env: Environment): boolean;
  /** The Helm releases it installs when enabled, in install order. */
  releases(env: Environment): AddonRelease[];
  /** EKS managed add-ons it installs in fresh-cluster mode. @default none */
  readonly managedAddons?: readonly AddonManagedAddon[];
}

/**
 * Every cluster add-on, in install order: the load balancer controller first
 * (its Service webhook admits every later Service), Karpenter before its
 * worker pools, then EFS, KEDA and external-dns.
 */
export const ADDON_CATALOG: readonly AddonCatalogEntry[] = [
  LOAD_BALANCER_CONTROLLER_CATALOG,
  KARPENTER_CATALOG,
  WORKER_POOLS_CATALOG,
  EFS_CATALOG,
  KEDA_CATALOG,
  EXTERNAL_DNS_CATALOG,
];

/** Every chart of every add-on, with the add-on it belongs to. */
export const ADDON_CHARTS: ReadonlyArray<AddonChart & { readonly addon: AddonName }> = ADDON_CATALOG.flatMap((addon) =>
  addon.charts.map((chart) => ({ ...chart, addon: addon.name })),
);

/** The add-ons the environment installs, in install order. */
export function enabledAddons(env: Environment): AddonCatalogEntry[] {
  return ADDON_CATALOG.filter((addon) => addon.enabled(env));
}

/** Every Helm release of the environment's enabled add-ons, with the add-on it belongs to. */
export function addonReleases(env: Environment): Array<AddonRelease & { readonly addon: AddonName }> {
  return enabledAddons(env).flatMap((addon) => addon.releases(env).map((release) => ({ ...release, addon: addon.name })));
}
