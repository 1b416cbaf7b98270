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
    if (problem) add(path, version, problem);
  }
}
