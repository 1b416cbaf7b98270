/** Kubernetes resource quantities as numbers: CPU in millicores, memory in MiB. */

const BINARY: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** `250m` → 250, `1` → 1000, `0.5` → 500. Undefined for anything else. */
export function cpuMillicores(q: unknown): number | undefined {
  if (typeof q === "number") return q * 1000;
  if (typeof q !== "string") return undefined;
  const m = /^([0-9.]+)(m?)$/.exec(q.trim());
  if (!m) return undefined;
  return m[2] === "m" ? Number(m[1]) : Number(m[1]) * 1000;
}

/** `512Mi` → 512, `1Gi` → 1024, `1G` → 953.67, bytes as a plain number. */
export function memoryMiB(q: unknown): number | undefined {
  if (typeof q === "number") return q / (1024 * 1024);
  if (typeof q !== "string") return undefined;
  const m = /^([0-9.]+)([KMGT]i?|k)?$/.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2];
  if (!unit) return n / (1024 * 1024);
  if (unit in BINARY) return n * BINARY[unit];
  return (n * DECIMAL[unit]) / (1024 * 1024);
}

export interface Resources {
  cpuMillicores: number;
  memoryMiB: number;
  gpus: number;
}

export const ZERO: Resources = { cpuMillicores: 0, memoryMiB: 0, gpus: 0 };

export function add(a: Resources, b: Resources, times = 1): Resources {
  return { cpuMillicores: a.cpuMillicores + b.cpuMillicores * times, memoryMiB: a.memoryMiB + b.memoryMiB * times, gpus: a.gpus + b.gpus * times };
}
