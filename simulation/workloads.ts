/**
 * Pod templates of the rendered objects (Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job, CronJob, Pod) with what they ask of a node: requests,
 * replicas, selectors, tolerations; containers without requests get an
 * estimate (simulation/estimates.ts) that only capacity uses.
 */
import { estimateFor } from "./estimates";
import { ObjectOrigin, RenderedObject, isRecord, objectLabel } from "./model";
import { Resources, ZERO, add, cpuMillicores, memoryMiB } from "./quantity";

export interface Workload {
  /** `Deployment layer/layer-gateway`. */
  readonly subject: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly origin: ObjectOrigin;
  /** Pods it keeps running; a DaemonSet runs one per matching node. */
  readonly replicas: number;
  readonly daemon: boolean;
  /** Jobs and CronJobs run to completion: scheduled, but not counted in steady-state capacity. */
  readonly transient: boolean;
  readonly pod: Record<string, any>;
  /** What the scheduler reserves (declared requests only). */
  readonly requests: Resources;
  /** Declared requests, with estimates where a container declares none. */
  readonly capacityRequests: Resources;
  /** `container: basis` for every estimated container. */
  readonly estimated: readonly string[];
}

const POD_TEMPLATE: Record<string, (spec: any) => { pod?: any; replicas: number; transient: boolean }> = {
  Deployment: (s) => ({ pod: s?.template?.spec, replicas: s?.replicas ?? 1, transient: false }),
  StatefulSet: (s) => ({ pod: s?.template?.spec, replicas: s?.replicas ?? 1, transient: false }),
  ReplicaSet: (s) => ({ pod: s?.template?.spec, replicas: s?.replicas ?? 1, transient: false }),
  DaemonSet: (s) => ({ pod: s?.template?.spec, replicas: 1, transient: false }),
  Job: (s) => ({ pod: s?.template?.spec, replicas: s?.parallelism ?? 1, transient: true }),
  CronJob: (s) => ({ pod: s?.jobTemplate?.spec?.template?.spec, replicas: s?.jobTemplate?.spec?.parallelism ?? 1, transient: true }),
};

function containerRequests(c: any): { cpu?: number; memory?: number; gpus: number } {
  const r = isRecord(c?.resources) ? c.resources : {};
  const requests = isRecord(r.requests) ? r.requests : {};
  const limits = isRecord(r.limits) ? r.limits : {};
  // Kubernetes defaults a missing request to the limit when only the limit is set.
  const gpu = Number(requests["nvidia.com/gpu"] ?? limits["nvidia.com/gpu"] ?? 0);
  return { cpu: cpuMillicores(requests.cpu ?? limits.cpu), memory: memoryMiB(requests.memory ?? limits.memory), gpus: Number.isFinite(gpu) ? gpu : 0 };
}

/** The pod's effective request: containers summed, or the largest init container if that is larger. */
function podRequests(pod: any, values: Record<string, unknown>): { declared: Resources; withEstimates: Resources; estimated: string[] } {
  const estimated: string[] = [];
  const sum = (containers: any[], initLike: boolean) =>
    containers.map((c) => {
      const r = containerRequests(c);
      const declared = { cpuMillicores: r.cpu ?? 0, memoryMiB: r.memory ?? 0, gpus: r.gpus };
      if (initLike || (r.cpu !== undefined && r.memory !== undefined)) return { declared, withEstimates: declared };
      const e = estimateFor(String(c?.name ?? ""), values);
      estimated.push(
        `${c?.name}: ${r.cpu === undefined ? `${e.cpuMillicores}m CPU` : ""}${r.cpu === undefined && r.memory === undefined ? ", " : ""}${r.memory === undefined ? `${e.memoryMiB} MiB` : ""} (${e.basis})`,
      );
      return { declared, withEstimates: { cpuMillicores: r.cpu ?? e.cpuMillicores, memoryMiB: r.memory ?? e.memoryMiB, gpus: r.gpus } };
    });
  const containers = sum(Array.isArray(pod?.containers) ? pod.containers : [], false);
  // Native sidecars (init containers with restartPolicy Always) run for the pod's life.
  const inits = Array.isArray(pod?.initContainers) ? pod.initContainers : [];
  const sidecars = sum(
    inits.filter((c: any) => c?.restartPolicy === "Always"),
    false,
  );
  const plainInits = sum(
    inits.filter((c: any) => c?.restartPolicy !== "Always"),
    true,
  );
  const total = (list: { declared: Resources; withEstimates: Resources }[], key: "declared" | "withEstimates") =>
    list.reduce((acc, x) => add(acc, x[key]), ZERO);
  const max = (a: Resources, b: Resources): Resources => ({
    cpuMillicores: Math.max(a.cpuMillicores, b.cpuMillicores),
    memoryMiB: Math.max(a.memoryMiB, b.memoryMiB),
    gpus: Math.max(a.gpus, b.gpus),
  });
  const initPeak = plainInits.reduce((acc, x) => max(acc, x.declared), ZERO);
  return {
    declared: max(add(total(containers, "declared"), total(sidecars, "declared")), initPeak),
    withEstimates: max(add(total(containers, "withEstimates"), total(sidecars, "withEstimates")), initPeak),
    estimated,
  };
}

/** Every workload among the objects; `valuesOf` gives the effective chart values of an object's release. */
export function workloadsOf(objects: readonly RenderedObject[], valuesOf: (address: string) => Record<string, unknown> = () => ({})): Workload[] {
  const out: Workload[] = [];
  for (const { object, origin } of objects) {
    if (object.kind === "Pod") {
      const r = podRequests(object.spec, valuesOf(origin.address));
      out.push({
        subject: objectLabel(object),
        kind: "Pod",
        namespace: object.metadata.namespace ?? "default",
        name: object.metadata.name ?? "?",
        origin,
        replicas: 1,
        daemon: false,
        transient: false,
        pod: object.spec ?? {},
        requests: r.declared,
        capacityRequests: r.withEstimates,
        estimated: r.estimated,
      });
      continue;
    }
    const extract = POD_TEMPLATE[object.kind];
    if (!extract) continue;
    const { pod, replicas, transient } = extract(object.spec);
    if (!isRecord(pod)) continue;
    const r = podRequests(pod, valuesOf(origin.address));
    out.push({
      subject: objectLabel(object),
      kind: object.kind,
      namespace: object.metadata.namespace ?? "default",
      name: object.metadata.name ?? "?",
      origin,
      replicas: Number(replicas) || 0,
      daemon: object.kind === "DaemonSet",
      transient,
      pod,
      requests: r.declared,
      capacityRequests: r.withEstimates,
      estimated: r.estimated,
    });
  }
  return out;
}
