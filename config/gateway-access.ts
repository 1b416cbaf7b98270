/**
 * What the gateway's service account does in AWS, read from the chart values
 * of the environment. The chart runs the gateway, the document cache, the hev
 * search Deployment and the VictoriaMetrics backup CronJob under that one
 * service account (`serviceAccountName: layer.serviceAccountName` in
 * templates/gateway-deployment.yaml, document-cache-statefulset.yaml,
 * search-deployment.yaml, vmsingle-backup-cronjob.yaml), so its role carries
 * all of their S3 prefixes.
 */

/** Prefixes the gateway reads and writes in the data bucket (hev layer v0.5.2). */
export const GATEWAY_PREFIXES = ["snapshots/", "latest/", "search-history/", "clickstream/", "shards/", "checkpoints/", "blobs/"] as const;

/** The chart's default `metrics.backup.s3Prefix`: vmbackup writes `s3://<bucket>/vm-backups/latest`. */
export const DEFAULT_METRICS_BACKUP_PREFIX = "vm-backups";

/** The chart's default `search.storage.s3Prefix`, used only with `search.enabled`. */
export const DEFAULT_SEARCH_PREFIX = "search";

export interface GatewayAccess {
  /** Every object prefix of the data bucket the gateway's service account uses, each ending in `/`. */
  readonly prefixes: readonly string[];
  /** `gateway.cost.costExplorerEnabled` (chart default true): the cost API reads Cost Explorer. */
  readonly costExplorer: boolean;
}

/**
 * The chart keys this reads, by their paths in the chart's values.yaml. Read
 * loosely: a key the values file does not set takes the chart's default.
 */
interface ChartValuesRead {
  readonly gateway?: { readonly cost?: { readonly costExplorerEnabled?: boolean } };
  readonly metrics?: {
    readonly enabled?: boolean;
    readonly externalEndpoint?: string;
    readonly backup?: { readonly enabled?: boolean; readonly s3Prefix?: string };
  };
  readonly search?: { readonly enabled?: boolean; readonly storage?: { readonly uri?: string; readonly s3Prefix?: string } };
}

const asPrefix = (p: string) => `${p.replace(/^\/+|\/+$/g, "")}/`;

/** The gateway's S3 prefixes and Cost Explorer use for an environment's release values. */
export function gatewayAccess(releaseValues: object): GatewayAccess {
  const v = releaseValues as ChartValuesRead;
  const prefixes: string[] = [...GATEWAY_PREFIXES];
  const metrics = v.metrics ?? {};
  // vmbackup only runs with the bundled VictoriaMetrics (no externalEndpoint) and backup on (chart defaults).
  if ((metrics.enabled ?? true) && !metrics.externalEndpoint && (metrics.backup?.enabled ?? true)) {
    prefixes.push(asPrefix(metrics.backup?.s3Prefix ?? DEFAULT_METRICS_BACKUP_PREFIX));
  }
  // hev search stores under s3://<bucket>/<s3Prefix> unless storage.uri points elsewhere.
  if (v.search?.enabled && !v.search.storage?.uri) prefixes.push(asPrefix(v.search.storage?.s3Prefix ?? DEFAULT_SEARCH_PREFIX));
  return { prefixes, costExplorer: v.gateway?.cost?.costExplorerEnabled ?? true };
}
