/**
 * Requests for containers that declare none. The scheduler counts such a
 * container as zero, but it still uses the node, so capacity counts it with
 * this small table and the report marks the number as an estimate. Figures
 * are deliberately round idle-plus-margin values; the product chart's hints
 * (`gateway.queue.postgres.sharedBuffers`, `metrics.retentionPeriod`) scale
 * the two that grow with configuration. Documented in docs/simulation.md.
 */
import { memoryMiB } from "./quantity";

export interface Estimate {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  readonly basis: string;
}

type Values = Record<string, any>;

function dig(values: Values, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Values)[k] : undefined), values);
}

/** Days in a VictoriaMetrics retention period: `7d`, `2w`, `1y`, or a bare number of months. */
function retentionDays(v: unknown): number {
  const m = /^(\d+)([hdwy]?)$/.exec(String(v ?? "").trim());
  if (!m) return 30;
  const n = Number(m[1]);
  return { h: n / 24, d: n, w: n * 7, y: n * 365, "": n * 30 }[m[2] as "h" | "d" | "w" | "y" | ""];
}

/** PostgreSQL's `shared_buffers` units (`256MB`, `1GB`, `128kB`) as MiB. */
function postgresMiB(v: unknown): number | undefined {
  const m = /^(\d+)\s*(kB|MB|GB|TB)?$/.exec(String(v ?? "").trim());
  if (!m) return memoryMiB(v);
  const n = Number(m[1]);
  return { kB: n / 1024, MB: n, GB: n * 1024, TB: n * 1024 * 1024, "": (n * 8) / 1024 }[(m[2] ?? "") as "kB" | "MB" | "GB" | "TB" | ""];
}

const RULES: { container: RegExp; estimate: (values: Values) => Estimate }[] = [
  { container: /^gateway$/, estimate: () => ({ cpuMillicores: 250, memoryMiB: 512, basis: "gateway: idle Rust proxy plus request buffers" }) },
  {
    container: /^postgres$/,
    estimate: (v) => {
      const shared = postgresMiB(dig(v, "gateway.queue.postgres.sharedBuffers")) ?? 128;
      return {
        cpuMillicores: 100,
        memoryMiB: Math.ceil(shared + 128),
        basis: `PostgreSQL queue: sharedBuffers ${shared} MiB + 128 MiB for connections and work memory`,
      };
    },
  },
  {
    container: /^vmsingle$|victoria/,
    estimate: (v) => {
      const days = retentionDays(dig(v, "metrics.retentionPeriod"));
      return { cpuMillicores: 100, memoryMiB: Math.ceil(256 + 16 * days), basis: `VictoriaMetrics: 256 MiB + 16 MiB per day of the ${days}-day retention` };
    },
  },
  { container: /^dashboard$/, estimate: () => ({ cpuMillicores: 50, memoryMiB: 128, basis: "dashboard: small web UI" }) },
  // Karpenter's chart sets no requests; an idle controller of a small cluster.
  { container: /^controller$/, estimate: () => ({ cpuMillicores: 100, memoryMiB: 256, basis: "Karpenter controller, idle in a small cluster" }) },
  { container: /^aws-load-balancer-controller$/, estimate: () => ({ cpuMillicores: 50, memoryMiB: 128, basis: "load balancer controller, few Ingresses" }) },
  // The EBS CSI driver chart requests 10m / 40Mi for the same plugin and sidecars
  // (kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/values.yaml).
  {
    container: /^(efs-plugin|csi-provisioner|csi-driver-registrar|node-driver-registrar|liveness-probe)$/,
    estimate: () => ({ cpuMillicores: 10, memoryMiB: 40, basis: "CSI plugin or sidecar, as the EBS CSI chart requests" }),
  },
];

/** Any other container without requests: a small node agent or controller. */
export const DEFAULT_ESTIMATE: Estimate = { cpuMillicores: 25, memoryMiB: 64, basis: "small agent or controller" };

export function estimateFor(containerName: string, values: Values): Estimate {
  return RULES.find((r) => r.container.test(containerName))?.estimate(values) ?? DEFAULT_ESTIMATE;
}
