/**
 * Field types the schema's sections share: AWS regions, EC2 instance names,
 * Karpenter's disruption budget and Kubernetes names (limits from upstream),
 * and exact chart versions. Kept apart from the schema's layout so each limit
 * sits next to its source.
 */
import { z } from "zod";
import { AWS_REGIONS } from "./aws-regions";
import { closest } from "./errors";
import { INSTANCE_FAMILY, INSTANCE_TYPE } from "./instance-types";

/** One of the listed regions (an enum, so editors complete it), with the nearest one for a typo. */
export const region = z.enum(AWS_REGIONS, {
  error: (issue) => {
    const hint = typeof issue.input === "string" ? closest(issue.input, AWS_REGIONS) : undefined;
    return `expected an AWS region code such as us-east-1${hint ? ` ("${hint}", did you mean it?)` : ""} (one of config/aws-regions.ts)`;
  },
});

export const instanceType = z.string().regex(INSTANCE_TYPE, { error: "expected an EC2 instance type: <family>.<size>, such as i4i.large or i4i.xlarge" });

export const instanceFamily = z
  .string()
  .regex(INSTANCE_FAMILY, { error: "expected an EC2 instance family such as c7i or i4i (lowercase, with its generation digit)" });

/**
 * Karpenter's NodePool `spec.disruption.budgets[].nodes` pattern, as in its
 * CRD (karpenter.sh_nodepools.yaml 1.14.1) and charts/worker-pools/values.schema.json.
 */
export const KARPENTER_BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;

export const disruptionBudget = z.string().regex(KARPENTER_BUDGET_NODES, {
  error: "expected a node count such as 2, or a percentage from 0% to 100% such as 10% (Karpenter's disruption budget `nodes`)",
});

/** A namespace name: an RFC 1123 label, at most 63 characters. */
export const namespaceName = z
  .string()
  .max(63, { error: "expected a Kubernetes namespace name of at most 63 characters (an RFC 1123 label)" })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);

/** A ServiceAccount name: an RFC 1123 DNS subdomain, at most 253 characters (it is also the IRSA trust's `sub`). */
export const serviceAccountName = z
  .string()
  .max(253, { error: "expected a ServiceAccount name of at most 253 characters" })
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: "expected a ServiceAccount name: lowercase letters, digits, '-' and '.', such as layer-gateway" });

/** A chart's exact version: the project pins every chart it installs. */
export const chartVersion = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, {
  error: "expected an exact chart version such as 1.2.3 (ranges and 'latest' are not allowed)",
});
