/**
 * Versions that must fit the cluster's Kubernetes minor: the Karpenter AMI
 * alias and every pinned chart of an add-on this environment installs
 * (tables and sources in config/compatibility.ts).
 */
import type { EnvironmentFile } from "./schema";
import { SUPPORTED_KUBERNETES_VERSIONS } from "./kubernetes-versions";
import { amiAliasProblem, chartSupportProblem, ChartComponent } from "./compatibility";
import { resolveAddonEnabled } from "./environment";
import { managedCertificate } from "./rules";
import { KARPENTER_DEFAULTS } from "../addons/karpenter/defaults";
import { WORKER_POOL_DEFAULTS } from "../addons/worker-pools/defaults";
import { LOAD_BALANCER_CONTROLLER_DEFAULTS } from "../addons/load-balancer-controller/defaults";
import { EXTERNAL_DNS_DEFAULTS } from "../addons/external-dns/defaults";
import { KEDA_DEFAULTS } from "../addons/keda/defaults";

/** Where each chart's default version is pinned, so a failing default names the file to change, not the environment. */
const DEFAULT_VERSIONS: Partial<Record<ChartComponent, [string, string]>> = {
  karpenter: [KARPENTER_DEFAULTS.chartVersion, "addons/karpenter/defaults.ts"],
  nvidiaDevicePlugin: [WORKER_POOL_DEFAULTS.nvidiaDevicePluginChartVersion, "addons/worker-pools/defaults.ts"],
  loadBalancerController: [LOAD_BALANCER_CONTROLLER_DEFAULTS.chartVersion, "addons/load-balancer-controller/defaults.ts"],
  externalDns: [EXTERNAL_DNS_DEFAULTS.chartVersion, "addons/external-dns/defaults.ts"],
  keda: [KEDA_DEFAULTS.chartVersion, "addons/keda/defaults.ts"],
};

type Add = (path: string, found: unknown, expected: string) => void;

export function checkVersionSupport(env: EnvironmentFile, add: Add): void {
  const minor = env.cluster.kubernetesVersion;
  // An unsupported minor is reported on its own field; nothing to compare against.
  if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(minor)) return;

  const karpenter = resolveAddonEnabled(env.karpenter.enabled, env.mode);
  if (karpenter) {
    const problem = amiAliasProblem(env.karpenter.amiAlias, minor);
    if (problem) add("karpenter.amiAlias", env.karpenter.amiAlias, problem);
  }

  const pinned: Array<[ChartComponent, string, string, boolean]> = [
    ["karpenter", "karpenter.chartVersion", env.karpenter.chartVersion, karpenter],
    [
      "nvidiaDevicePlugin",
      "karpenter.nvidiaDevicePluginChartVersion",
      env.karpenter.nvidiaDevicePluginChartVersion,
      karpenter && env.karpenter.workerGpu.enabled,
    ],
    [
      "loadBalancerController",
      "loadBalancerController.chartVersion",
      env.loadBalancerController.chartVersion,
      resolveAddonEnabled(env.loadBalancerController.enabled, env.mode),
    ],
    ["externalDns", "dns.externalDnsChartVersion", env.dns.externalDnsChartVersion, managedCertificate(env)],
    // Same default as kedaEnabled in config/release-values.ts.
    ["keda", "keda.chartVersion", env.keda.chartVersion, env.keda.enabled ?? env.mode === "fresh-cluster"],
  ];
  for (const [component, path, version, installed] of pinned) {
    if (!installed) continue;
    const problem = chartSupportProblem(component, version, minor);
    if (!problem) continue;
    const [defaultVersion, pinnedIn] = DEFAULT_VERSIONS[component] ?? [];
    // The environment may not set the field at all: then the project's default is what fails.
    const origin =
      pinnedIn && version === defaultVersion ? ` (${version} is the default pinned in ${pinnedIn}; the support table is config/compatibility.ts)` : "";
    add(path, version, `${problem}${origin}`);
  }
}
