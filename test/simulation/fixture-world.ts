/**
 * A small, self-contained pair of synthesized stacks for the simulation's
 * tests: one system node group (i4i.large, RAID0 NVMe), one IRSA role, and a
 * Helm stack installing test/fixtures/simulation/app with values a test
 * changes to plant one mistake. Independent of the example environments.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import type { StackJson, SynthesizedEnvironment } from "../../simulation/model";
import { PROJECT_ROOT } from "../helpers/synth";

export const APP_CHART = path.join(PROJECT_ROOT, "test/fixtures/simulation/app");
/** The Widget CRD (from crds/) and, with `serviceWebhook`, a fail-closed webhook on Services. */
export const WIDGETS_CHART = path.join(PROJECT_ROOT, "test/fixtures/simulation/widgets");
export const ROLE_ARN = "arn:aws:iam::123456789012:role/fx-app";

const NVME_USER_DATA = Buffer.from(
  'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: application/node.eks.aws\n\n---\napiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  instance:\n    localStorage:\n      strategy: RAID0\n\n--B--\n',
).toString("base64");

export interface FixtureOptions {
  /** Values of the app release (merged over a passing baseline). */
  readonly values?: Record<string, unknown>;
  /** `system:serviceaccount:<ns>:<name>` the role trusts. @default system:serviceaccount:app:app */
  readonly trustedSubject?: string;
  /** Node group taints (Terraform JSON shape). @default none */
  readonly taints?: { key: string; value?: string; effect: string }[];
  /** Without the AWS stack's cluster and node group: existing-cluster mode. */
  readonly existingCluster?: boolean;
  /** Without any AWS stack: helm-only mode. */
  readonly helmOnly?: boolean;
  /** Extra helm_release resources by logical name. */
  readonly releases?: Record<string, Record<string, unknown>>;
  /** `depends_on` of the app release. @default none */
  readonly appDependsOn?: string[];
}

export function fixtureStacks(options: FixtureOptions = {}): SynthesizedEnvironment {
  const trust = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: "${aws_iam_openid_connect_provider.oidc.arn}" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "${local.issuer}:sub": options.trustedSubject ?? "system:serviceaccount:app:app", "${local.issuer}:aud": "sts.amazonaws.com" },
        },
      },
    ],
  };
  const aws: StackJson = {
    resource: {
      aws_iam_role: { app_role: { name: "fx-app", assume_role_policy: JSON.stringify(trust) } },
      ...(options.existingCluster
        ? {}
        : {
            aws_eks_cluster: { cluster: { name: "fx", version: "1.35" } },
            aws_launch_template: { system: { user_data: NVME_USER_DATA } },
            aws_eks_node_group: {
              system: {
                node_group_name: "system",
                instance_types: ["i4i.large"],
                ami_type: "AL2023_x86_64_STANDARD",
                capacity_type: "ON_DEMAND",
                labels: { "layer.hev.dev/node-role": "system" },
                launch_template: { id: "${aws_launch_template.system.id}", version: "1" },
                scaling_config: { min_size: 1, desired_size: 1, max_size: 2 },
                ...(options.taints ? { taint: options.taints } : {}),
              },
            },
          }),
    },
  };
  const baseline = { nodeSelector: { "layer.hev.dev/node-role": "system" }, serviceAccount: { name: "app", roleArn: ROLE_ARN } };
  const helm: StackJson = {
    resource: {
      helm_release: {
        app: {
          name: "app",
          chart: APP_CHART,
          namespace: "app",
          values: [stringify(merge(baseline, options.values ?? {}))],
          ...(options.appDependsOn ? { depends_on: options.appDependsOn } : {}),
        },
        ...(options.releases ?? {}),
      },
    },
  };
  const stacksDir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-simulation-fixture-"));
  return { name: "fx", stacks: options.helmOnly ? { "layer-fx-helm": helm } : { "layer-fx-aws": aws, "layer-fx-helm": helm }, stacksDir };
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      cur && v && typeof cur === "object" && typeof v === "object" && !Array.isArray(cur) && !Array.isArray(v)
        ? merge(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
