import type { AddonCatalogEntry, AddonChart } from "../catalog";
import { managedCertificate } from "../../config/rules";

export const EXTERNAL_DNS_CHART = {
  releaseName: "external-dns",
  chart: "external-dns",
  repository: "https://kubernetes-sigs.github.io/external-dns/",
  namespace: "external-dns",
  createNamespace: true,
  placement: "system-nodes",
} as const satisfies AddonChart;

/** Its service account, named exactly in the IRSA trust. */
export const EXTERNAL_DNS_SERVICE_ACCOUNT = { namespace: "external-dns", name: "external-dns" } as const;

export const EXTERNAL_DNS_CATALOG: AddonCatalogEntry = {
  name: "external-dns",
  description: "external-dns: writes the gateway host's record in the managed public zone",
  switch: "dns.managePublicDns",
  charts: [EXTERNAL_DNS_CHART],
  // A zone not yet delegated has no certificate and nothing for external-dns to write.
  enabled: (env) => managedCertificate(env),
  releases: (env) => [{ ...EXTERNAL_DNS_CHART, version: env.dns.externalDnsChartVersion }],
};
