/**
 * The install simulation's vocabulary: what it reads (the synthesized
 * stacks of one environment), what it renders (Kubernetes objects by
 * release) and what it reports (one finding per check, workload and object).
 */

/** One stack's `cdk.tf.json` (only the parts the simulation reads). */
export interface StackJson {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  [key: string]: unknown;
}

/** The synthesized stacks of one environment, as `cdktf.out/stacks/` holds them. */
export interface SynthesizedEnvironment {
  readonly name: string;
  /** Keyed by stack name: `layer-<env>-aws`, `layer-<env>-helm`. */
  readonly stacks: Record<string, StackJson>;
  /**
   * The `cdktf.out/stacks` directory the stacks belong in: local chart paths
   * in a `helm_release` are relative to `<stacksDir>/<stack>`, where terraform runs.
   */
  readonly stacksDir: string;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** A Kubernetes object as rendered, with where it came from. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  [key: string]: unknown;
}

export interface ObjectOrigin {
  /** Terraform address of what creates it: `helm_release.karpenter`, `aws_eks_addon.coredns`. */
  readonly address: string;
  /** Chart and version (`karpenter 1.14.1`), local chart path, or the resource type. */
  readonly chart: string;
  /** The chart template that rendered it (`karpenter/templates/deployment.yaml`). */
  readonly template?: string;
  /** False for objects helm applies from the chart's `crds/` directory before the templates. */
  readonly fromCrdsDir?: boolean;
}

export interface RenderedObject {
  readonly object: KubeObject;
  readonly origin: ObjectOrigin;
}

export type Status = "pass" | "fail" | "unknown" | "skip";

export type CheckName = "render" | "values" | "scheduling" | "capacity" | "irsa" | "references" | "storage" | "ordering" | "addons";

export interface Finding {
  readonly check: CheckName;
  readonly status: Status;
  /** What the finding is about: `Deployment kube-system/karpenter`, `helm_release.keda`. */
  readonly subject: string;
  /** The release or resource that made it, and its chart. */
  readonly address?: string;
  readonly chart?: string;
  readonly message: string;
}

/** `Deployment kube-system/karpenter`. */
export function objectLabel(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ""}${o.metadata?.name ?? "?"}`;
}

export function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Terraform JSON writes a single nested block either as an object or as a one-element list. */
export function blocks(v: unknown): Record<string, any>[] {
  if (Array.isArray(v)) return v.filter(isRecord);
  return isRecord(v) ? [v] : [];
}

/** Every resource of one type in a stack, with its logical name. */
export function resourcesOf(stack: StackJson | undefined, type: string): { name: string; body: Record<string, any> }[] {
  return Object.entries(stack?.resource?.[type] ?? {}).map(([name, body]) => ({ name, body }));
}

export function awsStack(env: SynthesizedEnvironment): StackJson | undefined {
  return env.stacks[`layer-${env.name}-aws`];
}

export function helmStack(env: SynthesizedEnvironment): StackJson | undefined {
  return env.stacks[`layer-${env.name}-helm`];
}
