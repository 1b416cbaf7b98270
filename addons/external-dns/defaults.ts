/** external-dns's pinned chart version (config/schema.ts reads it as `dns.externalDnsChartVersion`). Pure data, no imports. */
export const EXTERNAL_DNS_DEFAULTS = {
  chartVersion: "1.19.0",
} as const;
