/**
 * What this project knows about version compatibility, as dated, sourced
 * project configuration: synth reads only this file, never a download.
 * test/config/compatibility.test.ts checks it against the reference tables
 * (`../shared/reference/compat/`) when they are present.
 *
 * Reviewed 2026-12-01. Add a row here, with its source, before pinning a
 * newer AMI release or chart version.
 */

/**
 * Amazon EKS optimized AL2023 AMI releases and the Kubernetes minors each
 * ships, as [oldest, newest] (every minor in between is shipped).
 * Source: awslabs/amazon-eks-ami CHANGELOG.md at 81fec2e89585 (2026-07-23),
 * releases v20241225 (the first with 1.32) to v20260714; abandoned releases
 * (v20260128, v20260311) are left out. A Karpenter alias `al2023@vYYYYMMDD`
 * resolves only to a release listed here that ships the cluster's minor
 * (https://karpenter.sh/docs/concepts/nodeclasses/#specamiselectorterms).
 */
export const AL2023_AMI_RELEASES: Readonly<Record<string, readonly [string, string]>> = {
  v20260714: ["1.30", "1.36"],
  v20260625: ["1.30", "1.36"],
  v20260618: ["1.30", "1.36"],
  v20260610: ["1.30", "1.36"],
  v20260505: ["1.30", "1.35"],
  v20260423: ["1.30", "1.35"],
  v20260415: ["1.30", "1.35"],
  v20260409: ["1.30", "1.35"],
  v20260403: ["1.30", "1.35"],
  v20260318: ["1.29", "1.35"],
  v20260304: ["1.29", "1.35"],
  v20260224: ["1.29", "1.35"],
  v20260209: ["1.29", "1.35"],
  v20260129: ["1.29", "1.35"],
  v20260120: ["1.29", "1.35"],
  v20260116: ["1.29", "1.35"],
  v20260114: ["1.29", "1.35"],
  v20260107: ["1.29", "1.34"],
  v20251217: ["1.29", "1.34"],
  v20251209: ["1.29", "1.34"],
  v20251120: ["1.29", "1.34"],
  v20251112: ["1.28", "1.34"],
  v20251108: ["1.28", "1.34"],
  v20251029: ["1.28", "1.34"],
  v20251023: ["1.28", "1.34"],
  v20251016: ["1.28", "1.34"],
  v20251007: ["1.28", "1.34"],
  v20251002: ["1.28", "1.34"],
  v20250920: ["1.28", "1.34"],
  v20250915: ["1.28", "1.34"],
  v20250904: ["1.28", "1.33"],
  v20250829: ["1.28", "1.33"],
  v20250821: ["1.28", "1.33"],
  v20250819: ["1.28", "1.33"],
  v20250813: ["1.28", "1.33"],
  v20250807: ["1.28", "1.33"],
  v20250715: ["1.27", "1.33"],
  v20250704: ["1.27", "1.33"],
  v20250627: ["1.27", "1.33"],
  v20250620: ["1.27", "1.33"],
  v20250519: ["1.26", "1.33"],
  v20250514: ["1.26", "1.32"],
  v20250505: ["1.26", "1.32"],
  v20250501: ["1.26", "1.32"],
  v20250419: ["1.25", "1.32"],
  v20250410: ["1.25", "1.32"],
  v20250403: ["1.25", "1.32"],
  v20250317: ["1.25", "1.32"],
  v20250304: ["1.25", "1.32"],
  v20250228: ["1.25", "1.32"],
  v20250224: ["1.25", "1.32"],
  v20250212: ["1.25", "1.32"],
  v20250203: ["1.25", "1.32"],
  v20250123: ["1.24", "1.32"],
  v20250116: ["1.24", "1.32"],
  v20250103: ["1.24", "1.32"],
  v20241225: ["1.24", "1.32"],
};

/** Releases in date order, oldest first. */
const RELEASES_BY_DATE = Object.keys(AL2023_AMI_RELEASES).sort();

function minorNumber(minor: string): number {
  return Number(minor.split(".")[1]);
}

/** Whether an AMI release ships AL2023 images for a Kubernetes minor. */
export function amiReleaseShips(release: string, kubernetesMinor: string): boolean {
  const range = AL2023_AMI_RELEASES[release];
  if (!range) return false;
  const m = minorNumber(kubernetesMinor);
  return minorNumber(range[0]) <= m && m <= minorNumber(range[1]);
}

/** The releases with this minor closest in date to `release` (one before and one after when both exist). */
export function nearestAmiReleases(release: string, kubernetesMinor: string): string[] {
  const candidates = RELEASES_BY_DATE.filter((r) => amiReleaseShips(r, kubernetesMinor));
  const before = candidates.filter((r) => r < release).slice(-1);
  const after = candidates.filter((r) => r > release).slice(0, 1);
  const nearest = [...before, ...after];
  return nearest.length > 0 ? nearest : candidates.slice(-1);
}

/**
 * The expectation an AL2023 alias fails, or undefined when it resolves.
 * `al2023@latest` and Bottlerocket aliases are not checked here (Bottlerocket
 * releases are not in this table).
 */
export function amiAliasProblem(alias: string, kubernetesMinor: string): string | undefined {
  const m = /^al2023@(v\d{8})$/.exec(alias);
  if (!m) return undefined;
  const release = m[1];
  if (amiReleaseShips(release, kubernetesMinor)) return undefined;
  const nearest = nearestAmiReleases(release, kubernetesMinor).map((r) => `al2023@${r}`);
  const why = AL2023_AMI_RELEASES[release]
    ? `${release} ships Kubernetes ${AL2023_AMI_RELEASES[release].join(" to ")}, not ${kubernetesMinor}`
    : `${release} is not an Amazon EKS AMI release`;
  return `an AL2023 AMI release that ships Kubernetes ${kubernetesMinor} (cluster.kubernetesVersion), nearest: ${nearest.join(" or ")} (${why}; releases: https://github.com/awslabs/amazon-eks-ami/releases)`;
}

/** A range of chart versions and the Kubernetes minors upstream says they support. */
export interface ChartSupportRow {
  /** Lowest chart version of the row (inclusive). */
  readonly from: string;
  /** First chart version after the row (exclusive). @default no upper bound */
  readonly before?: string;
  readonly kubernetes: { readonly min: string; /** @default none stated upstream */ readonly max?: string };
}

export interface ChartSupport {
  /** How the component is named in messages. */
  readonly title: string;
  /** What upstream states, and where. */
  readonly source: string;
  readonly rows: readonly ChartSupportRow[];
}

/**
 * The pinned charts' Kubernetes support, per upstream statement. Where
 * upstream states only a minimum (the load balancer controller, the NVIDIA
 * device plugin), no maximum is written and newer minors pass.
 */
export const CHART_SUPPORT = {
  karpenter: {
    title: "Karpenter",
    source: "https://karpenter.sh/docs/upgrading/compatibility/ (aws/karpenter-provider-aws 1d927085dd81 hack/docs/compatibilitymatrix_gen/compatibility.yaml)",
    rows: [
      { from: "1.2.0", before: "1.5.0", kubernetes: { min: "1.25", max: "1.32" } },
      { from: "1.5.0", before: "1.6.0", kubernetes: { min: "1.26", max: "1.33" } },
      { from: "1.6.0", before: "1.9.0", kubernetes: { min: "1.26", max: "1.34" } },
      { from: "1.9.0", before: "1.13.0", kubernetes: { min: "1.26", max: "1.35" } },
      { from: "1.13.0", before: "1.15.0", kubernetes: { min: "1.26", max: "1.36" } },
    ],
  },
  keda: {
    title: "KEDA",
    source: "https://keda.sh/docs/2.20/operate/cluster/ (kedacore/keda-docs a55c5d345e2c): Kubernetes versions each release is tested against",
    rows: [
      { from: "2.16.0", before: "2.17.0", kubernetes: { min: "1.29", max: "1.31" } },
      { from: "2.17.0", before: "2.18.0", kubernetes: { min: "1.30", max: "1.32" } },
      { from: "2.18.0", before: "2.19.0", kubernetes: { min: "1.31", max: "1.33" } },
      { from: "2.19.0", before: "2.20.0", kubernetes: { min: "1.32", max: "1.34" } },
      { from: "2.20.0", before: "2.21.0", kubernetes: { min: "1.33", max: "1.35" } },
    ],
  },
  loadBalancerController: {
    title: "the AWS Load Balancer Controller chart",
    source:
      "kubernetes-sigs/aws-load-balancer-controller 225f44568848 helm/aws-load-balancer-controller/README.md: chart v1.5.0+ requires Kubernetes 1.22+ (no maximum stated)",
    rows: [{ from: "1.5.0", kubernetes: { min: "1.22" } }],
  },
  externalDns: {
    title: "the external-dns chart",
    source:
      "https://github.com/kubernetes-sigs/external-dns#kubernetes-version-compatibility (2bf1bf8af2b7): Kubernetes 1.33+ needs ExternalDNS 0.18+; chart 1.N ships app 0.N",
    rows: [
      { from: "1.14.0", before: "1.18.0", kubernetes: { min: "1.22", max: "1.32" } },
      { from: "1.18.0", kubernetes: { min: "1.22" } },
    ],
  },
  nvidiaDevicePlugin: {
    title: "the NVIDIA device plugin chart",
    source: "NVIDIA/k8s-device-plugin Chart.yaml kubeVersion >= 1.10.0-0 (no maximum stated)",
    rows: [{ from: "0.14.0", kubernetes: { min: "1.10" } }],
  },
  externalSecrets: {
    title: "External Secrets Operator",
    source: "https://external-secrets.io/latest/introduction/stability-support/ (external-secrets/external-secrets cc5bfbc2234a)",
    rows: [
      { from: "2.0.0", before: "2.7.0", kubernetes: { min: "1.34", max: "1.35" } },
      { from: "2.7.0", before: "2.8.0", kubernetes: { min: "1.35", max: "1.35" } },
      { from: "2.8.0", before: "2.9.0", kubernetes: { min: "1.35", max: "1.36" } },
      { from: "2.9.0", before: "2.10.0", kubernetes: { min: "1.36", max: "1.36" } },
    ],
  },
} as const satisfies Record<string, ChartSupport>;

export type ChartComponent = keyof typeof CHART_SUPPORT;

/** -1, 0 or 1, comparing x.y.z versions numerically (a pre-release suffix is ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, "").split("-")[0].split(".").map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function rowOf(component: ChartComponent, version: string): ChartSupportRow | undefined {
  return (CHART_SUPPORT[component].rows as readonly ChartSupportRow[]).find(
    (r) => compareVersions(version, r.from) >= 0 && (r.before === undefined || compareVersions(version, r.before) < 0),
  );
}

/** Whether upstream states that this chart version supports the Kubernetes minor. */
export function chartSupports(component: ChartComponent, version: string, kubernetesMinor: string): boolean {
  const row = rowOf(component, version);
  if (!row) return false;
  const m = minorNumber(kubernetesMinor);
  return minorNumber(row.kubernetes.min) <= m && (row.kubernetes.max === undefined || m <= minorNumber(row.kubernetes.max));
}

/** The expectation a pinned chart version fails for the cluster's minor, or undefined when it is supported. */
export function chartSupportProblem(component: ChartComponent, version: string, kubernetesMinor: string): string | undefined {
  if (chartSupports(component, version, kubernetesMinor)) return undefined;
  const support = CHART_SUPPORT[component];
  const lines = (support.rows as readonly ChartSupportRow[])
    .filter((r) => chartSupports(component, r.from, kubernetesMinor))
    .map((r) => (r.before ? `${r.from} up to (not including) ${r.before}` : `${r.from} or newer`));
  const row = rowOf(component, version);
  const found = row
    ? `${version} supports Kubernetes ${row.kubernetes.min}${row.kubernetes.max ? ` to ${row.kubernetes.max}` : "+"}`
    : `${version} is not in this project's support table (config/compatibility.ts)`;
  const wanted = lines.length > 0 ? lines.join(", or ") : "none known: choose another cluster.kubernetesVersion";
  return `a version of ${support.title} that supports Kubernetes ${kubernetesMinor} (cluster.kubernetesVersion): ${wanted} (${found}; ${support.source})`;
}
