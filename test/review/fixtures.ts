/**
 * Review tests run on real synth output: the `dev` example's own file with
 * its public edge switched on (a Route53 zone and an internet-facing ALB
 * ingress), synthesized by the app's code, and a variant with private
 * workers. Only `withResource` edits the JSON, to show the review a change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentJson, StackJson } from "../../review/synth-output";
import { environmentFromYaml, PROJECT_ROOT, synthEnvironment, SynthesizedEnvironment } from "../helpers/synth";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v ?? {}));

/** The stacks and the addresses the review tests edit, as the app names them. */
export const DEV = {
  aws: "layer-dev-aws",
  helm: "layer-dev-helm",
  cluster: "eks_cluster",
  systemNodeGroup: "system_node_group",
  interruptionQueue: "karpenter_interruption_queue",
  release: "layer_release",
} as const;

const PUBLIC_EDGE = "dns:\n  managePublicDns: true\n  zoneName: dev.example.com\n  zoneDelegated: true\n  gatewayHost: layer.dev.example.com\n";
const PRIVATE_WORKERS = "network:\n  workerSubnets: private\n  natGateways: single\n";

const synthesized = new Map<string, SynthesizedEnvironment>();

function devWith(extra: string): EnvironmentJson {
  let s = synthesized.get(extra);
  if (!s) {
    const devYaml = fs.readFileSync(path.join(PROJECT_ROOT, "environments/dev.yaml"), "utf8");
    s = synthEnvironment(environmentFromYaml(`${devYaml}\n${extra}`, "dev"));
    synthesized.set(extra, s);
  }
  return { name: "dev", stacks: { [DEV.aws]: clone(s.aws) as StackJson, [DEV.helm]: clone(s.helm) as StackJson } };
}

/**
 * dev with its public edge: VPC in two zones (public worker subnets, no NAT),
 * the EKS cluster, one i4i.large system node, EFS, Karpenter with two idle
 * pools, the load balancer controller, a hosted zone and the `layer` release
 * with an internet-facing ingress.
 */
export function devWithCluster(): EnvironmentJson {
  return devWith(PUBLIC_EDGE);
}

/** The same environment with private worker subnets behind one NAT gateway. */
export function withPrivateWorkers(): EnvironmentJson {
  return devWith(`${PUBLIC_EDGE}${PRIVATE_WORKERS}`);
}

/** A copy with one resource's config edited or its address renamed. */
export function withResource(
  env: EnvironmentJson,
  stack: string,
  type: string,
  name: string,
  edit: (config: Record<string, any>) => Record<string, any> | undefined,
  renameTo?: string,
): EnvironmentJson {
  const copy = clone(env);
  const byName = copy.stacks[stack].resource![type];
  const edited = edit(byName[name]);
  delete byName[name];
  if (edited) byName[renameTo ?? name] = edited;
  return copy;
}
