/**
 * The install simulation of one environment: render everything the stacks
 * would put on the cluster, then check placement, capacity, IRSA,
 * references, storage and ordering. Reads only the synthesized stacks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { AddonReport, addonPlacementCheck, addonReports } from "./checks/addons";
import { capacityCheck, CapacityReport, capacityReports } from "./checks/capacity";
import { irsaCheck } from "./checks/irsa";
import { orderingCheck } from "./checks/ordering";
import { Prerequisite, referencesCheck } from "./checks/references";
import { Placement, placements, schedulingCheck } from "./checks/scheduling";
import { storageCheck } from "./checks/storage";
import { effectiveValues, valuesCheck } from "./checks/values";
import type { SimulationContext } from "./context";
import { directObjects } from "./direct-objects";
import { managedAddonObjects } from "./managed-addons";
import { Finding, RenderedObject, StackJson, SynthesizedEnvironment, awsStack, helmStack, resourcesOf } from "./model";
import { ClusterMode, NodeShape, modeOf, nodeGroupShapes, nodePoolShapes } from "./nodes";
import { RenderedRelease, renderRelease } from "./render";
import { Workload, workloadsOf } from "./workloads";

export interface SimulationOptions {
  readonly helm: string;
  readonly referenceDir: string;
}

export interface Simulation {
  readonly environment: string;
  readonly mode: ClusterMode;
  readonly releases: readonly RenderedRelease[];
  readonly nodes: readonly NodeShape[];
  readonly placements: readonly Placement[];
  readonly capacity: readonly CapacityReport[];
  /** Each cluster add-on the Helm stack installs (addons/catalog.ts): its releases and where their pods land. */
  readonly addons: readonly AddonReport[];
  readonly prerequisites: readonly Prerequisite[];
  readonly findings: readonly Finding[];
}

/** Reads `<stacksDir>/layer-<env>-{aws,helm}/cdk.tf.json` (the aws stack is absent in helm-only mode). */
export function readSynthesizedEnvironment(stacksDir: string, name: string): SynthesizedEnvironment {
  const stacks: Record<string, StackJson> = {};
  for (const suffix of ["aws", "helm"]) {
    const file = path.join(stacksDir, `layer-${name}-${suffix}`, "cdk.tf.json");
    if (fs.existsSync(file)) stacks[`layer-${name}-${suffix}`] = JSON.parse(fs.readFileSync(file, "utf8")) as StackJson;
  }
  return { name, stacks, stacksDir };
}

/** `1.35` → `1.35.0` for `helm template --kube-version`; undefined when the version is not a literal. */
function kubeVersion(aws: StackJson | undefined): string | undefined {
  const v = resourcesOf(aws, "aws_eks_cluster")[0]?.body.version;
  return typeof v === "string" && /^\d+\.\d+$/.test(v) ? `${v}.0` : undefined;
}

function renderFindings(releases: readonly RenderedRelease[]): Finding[] {
  return releases.map((r) => {
    const where = { subject: r.address, address: r.address, chart: r.chart };
    if (r.skip) return { check: "render", status: "skip", ...where, message: `SKIPPED: ${r.skip}` } as Finding;
    if (r.error) return { check: "render", status: "fail", ...where, message: `helm template failed: ${r.error}` } as Finding;
    return { check: "render", status: "pass", ...where, message: `${r.objects.length} objects${r.standIn ? `; ${r.standIn}` : ""}` } as Finding;
  });
}

/**
 * A KEDA ScaledObject keeps its target at `minReplicaCount` or more
 * (https://keda.sh/docs/latest/reference/scaledobject-spec/, default 0), whatever the workload's own replicas say.
 */
function withAutoscaledMinimum(workloads: Workload[], objects: readonly RenderedObject[]): Workload[] {
  const minimum = new Map<string, number>();
  for (const { object } of objects) {
    if (object.kind !== "ScaledObject") continue;
    const target = object.spec?.scaleTargetRef ?? {};
    minimum.set(`${target.kind ?? "Deployment"} ${object.metadata.namespace}/${target.name}`, Number(object.spec?.minReplicaCount ?? 0));
  }
  return workloads.map((w) => {
    const min = minimum.get(`${w.kind} ${w.namespace}/${w.name}`);
    return min !== undefined && min > w.replicas ? { ...w, replicas: min } : w;
  });
}

export async function simulate(env: SynthesizedEnvironment, options: SimulationOptions): Promise<Simulation> {
  const aws = awsStack(env);
  const helm = helmStack(env);
  const mode = modeOf(aws);
  const stackDir = path.join(env.stacksDir, `layer-${env.name}-helm`);
  const releases = await Promise.all(
    resourcesOf(helm, "helm_release").map(({ name, body }) =>
      renderRelease(name, body, stackDir, { helm: options.helm, referenceDir: options.referenceDir, kubeVersion: kubeVersion(aws) }),
    ),
  );
  const managed = managedAddonObjects(aws);
  const objects: RenderedObject[] = [...releases.flatMap((r) => r.objects), ...directObjects(helm), ...managed.objects];
  const values = new Map(releases.map((r) => [r.address, effectiveValues(r)]));
  const ctx: SimulationContext = {
    environment: env.name,
    mode,
    aws,
    helm,
    releases,
    objects,
    nodes: [...nodeGroupShapes(aws), ...nodePoolShapes(objects)],
    workloads: withAutoscaledMinimum(
      workloadsOf(objects, (address) => values.get(address) ?? {}),
      objects,
    ),
    effectiveValues: values,
  };
  const placed = placements(ctx);
  const capacity = capacityReports(ctx, placed);
  const references = referencesCheck(ctx);
  const irsa = irsaCheck(ctx);
  const ordering = orderingCheck(ctx);
  const findings: Finding[] = [
    ...renderFindings(releases),
    ...managed.unknownAddons.map(
      (a) =>
        ({
          check: "render",
          status: "skip",
          subject: `EKS add-on ${a}`,
          message: `SKIPPED: no documented defaults for add-on ${a} (simulation/managed-addons.ts)`,
        }) as Finding,
    ),
    ...managed.unreadableConfiguration.map(
      (a) =>
        ({
          check: "render",
          status: "skip",
          subject: `EKS add-on ${a}`,
          message: `SKIPPED: configuration_values of ${a} is not literal JSON (a Terraform expression); simulated with the add-on's defaults only`,
        }) as Finding,
    ),
    ...valuesCheck(ctx),
    ...schedulingCheck(ctx, placed),
    ...capacityCheck(ctx, capacity),
    ...irsa.findings,
    ...references.findings,
    ...storageCheck(ctx, placed),
    ...ordering.findings,
    ...addonPlacementCheck(ctx, placed),
  ];
  const prerequisites: Prerequisite[] = [...irsa.prerequisites, ...references.prerequisites, ...ordering.prerequisites];
  if (mode !== "fresh-cluster")
    prerequisites.unshift({
      what: "the cluster's nodes",
      why: `${mode} mode: the platform team's nodes must accept the pods reported as unknown under scheduling`,
    });
  return {
    environment: env.name,
    mode,
    releases,
    nodes: ctx.nodes,
    placements: placed,
    capacity,
    addons: addonReports(releases, placed),
    prerequisites,
    findings,
  };
}

export const failures = (s: Simulation) => s.findings.filter((f) => f.status === "fail");
/** Releases whose chart was not found in the reference directory, so nothing of them was simulated. */
export const unrenderedReleases = (s: Simulation) => s.findings.filter((f) => f.check === "render" && f.status === "skip");
export const passed = (s: Simulation) => failures(s).length === 0;
