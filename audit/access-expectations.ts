/**
 * What each product role must and must not be able to do, checked by
 * evaluating its attached policies (audit/iam/evaluator.ts), not by reading
 * strings. An expectation whose role does not exist in an environment (yet)
 * is reported as not applicable, never as passed.
 *
 * AWS managed policies attached to a role (node roles) are not part of the
 * synthesized output, so they are not evaluated here; IAM-14 restricts them
 * to a fixed allow-list instead.
 */
import { roleByPurpose } from "./iam/graph";
import { PolicyDocument, parsePolicyText } from "./iam/policy";
import { substituteReferences } from "./iam/references";
import { ContextValue, UnsupportedCondition, allowsSomewhere, evaluate } from "./iam/evaluator";
import { IamCatalogue } from "./iam/catalogue";
import { refersTo, block, blocks } from "./terraform";
import type { AuditContext } from "./types";

export interface RequestSpec {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, ContextValue>;
}

export type Expectation =
  | { readonly kind: "can" | "cannot"; readonly request: (ctx: AuditContext) => RequestSpec | undefined }
  /** Every one of these requests is allowed. */
  | { readonly kind: "can-all"; readonly requests: (ctx: AuditContext) => RequestSpec[] | undefined }
  /** No Allow statement grants any action of these access levels, on any resource, in any context. */
  | { readonly kind: "cannot-any"; readonly accessLevels: readonly string[] };

export interface AccessExpectation {
  readonly id: string;
  /** Role purpose: the suffix of the role name (config/naming.ts RolePurpose). */
  readonly role: string;
  readonly statement: string;
  readonly expect: Expectation;
}

/** The data bucket: the one whose name holds `-data-` (config/naming.ts dataBucketName). */
function dataBucket(ctx: AuditContext): { arn: string; keyArn?: string } | undefined {
  const bucket = ctx.resources("aws_s3_bucket").find((b) => /-data-/.test(String(b.body.bucket)));
  if (!bucket) return undefined;
  const sse = ctx.resources("aws_s3_bucket_server_side_encryption_configuration").find((s) => refersTo(s.body.bucket, "aws_s3_bucket", bucket.name));
  const keyArn = block(block(blocks(sse?.body.rule)[0])?.apply_server_side_encryption_by_default)?.kms_master_key_id;
  return { arn: `arn:${ctx.env.partition}:s3:::${bucket.body.bucket}`, keyArn: typeof keyArn === "string" ? keyArn : undefined };
}

const clusterName = (ctx: AuditContext): string | undefined => {
  const c = ctx.resources("aws_eks_cluster")[0];
  return typeof c?.body.name === "string" ? c.body.name : undefined;
};

/**
 * What the product does with the gateway's service account, stated here on
 * its own (hev layer v0.5.2: the gateway, and the document cache and the
 * VictoriaMetrics backup CronJob under the same account): the audit checks
 * the synthesized role against it, never against the code that built it.
 */
const GATEWAY_PREFIXES = ["snapshots/", "latest/", "search-history/", "clickstream/", "shards/", "checkpoints/", "blobs/", "vm-backups/"];
const OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];

/** The request context of a call that S3 makes to KMS on the caller's behalf. */
const viaS3 = (ctx: AuditContext) => ({ "kms:ViaService": `s3.${ctx.env.region}.${ctx.env.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}` });

const instanceArn = (ctx: AuditContext) => `arn:${ctx.env.partition}:ec2:${ctx.env.region}:${ctx.env.accountId}:instance/i-0123456789abcdef0`;

export const ACCESS_EXPECTATIONS: readonly AccessExpectation[] = [
  {
    id: "ACC-01",
    role: "gateway",
    statement: "the gateway role can s3:PutObject under the data bucket's snapshots/ prefix",
    expect: {
      kind: "can",
      request: (ctx) => {
        const b = dataBucket(ctx);
        return b && { action: "s3:PutObject", resource: `${b.arn}/snapshots/x` };
      },
    },
  },
  {
    id: "ACC-02",
    role: "gateway",
    statement: "the gateway role can s3:GetObject under the data bucket's search-history/ prefix",
    expect: {
      kind: "can",
      request: (ctx) => {
        const b = dataBucket(ctx);
        return b && { action: "s3:GetObject", resource: `${b.arn}/search-history/x` };
      },
    },
  },
  {
    id: "ACC-03",
    role: "gateway",
    statement: "the gateway role can s3:ListBucket on the data bucket under snapshots/",
    expect: {
      kind: "can",
      request: (ctx) => {
        const b = dataBucket(ctx);
        return b && { action: "s3:ListBucket", resource: b.arn, context: { "s3:prefix": "snapshots/" } };
      },
    },
  },
  {
    id: "ACC-04",
    role: "gateway",
    statement: "the gateway role can kms:GenerateDataKey with the data bucket's key when S3 asks on its behalf",
    expect: {
      kind: "can",
      request: (ctx) => {
        const b = dataBucket(ctx);
        return b?.keyArn ? { action: "kms:GenerateDataKey", resource: substituteReferences(ctx, b.keyArn, "literal"), context: viaS3(ctx) } : undefined;
      },
    },
  },
  {
    id: "ACC-05",
    role: "gateway",
    statement: "the gateway role cannot s3:PutObject into any other bucket",
    expect: { kind: "cannot", request: (ctx) => ({ action: "s3:PutObject", resource: `arn:${ctx.env.partition}:s3:::some-other-bucket/snapshots/x` }) },
  },
  {
    id: "ACC-06",
    role: "gateway",
    statement: "the gateway role cannot delete the data bucket or change its policy",
    expect: {
      kind: "cannot",
      request: (ctx) => {
        const b = dataBucket(ctx);
        return b && { action: "s3:DeleteBucket", resource: b.arn };
      },
    },
  },
  {
    id: "ACC-07",
    role: "gateway",
    statement: "the gateway role cannot perform any permissions-management action",
    expect: { kind: "cannot-any", accessLevels: ["Permissions management"] },
  },
  {
    id: "ACC-08",
    role: "dashboard",
    statement: "the dashboard role cannot perform any write action",
    expect: { kind: "cannot-any", accessLevels: ["Write", "Tagging", "Permissions management"] },
  },
  {
    id: "ACC-09",
    role: "dashboard",
    statement: "the dashboard role can ce:GetCostAndUsage",
    expect: { kind: "can", request: () => ({ action: "ce:GetCostAndUsage", resource: "*" }) },
  },
  {
    id: "ACC-10",
    role: "karpenter-controller",
    statement: "the Karpenter controller cannot ec2:TerminateInstances on an instance without the cluster tag",
    expect: {
      kind: "cannot",
      request: (ctx) => ({ action: "ec2:TerminateInstances", resource: instanceArn(ctx), context: { "aws:ResourceTag/karpenter.sh/nodepool": "worker-cpu" } }),
    },
  },
  {
    id: "ACC-11",
    role: "karpenter-controller",
    statement: "the Karpenter controller can ec2:TerminateInstances on its own nodes (cluster tag owned, nodepool tag)",
    expect: {
      kind: "can",
      request: (ctx) => {
        const name = clusterName(ctx);
        return name
          ? {
              action: "ec2:TerminateInstances",
              resource: instanceArn(ctx),
              context: {
                [`aws:ResourceTag/kubernetes.io/cluster/${name}`]: "owned",
                "aws:ResourceTag/karpenter.sh/nodepool": "worker-cpu",
                "aws:ResourceTag/eks:eks-cluster-name": name,
                "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "worker-cpu",
              },
            }
          : undefined;
      },
    },
  },
  {
    id: "ACC-12",
    role: "karpenter-controller",
    statement: "the Karpenter controller cannot iam:PassRole an arbitrary role",
    expect: {
      kind: "cannot",
      request: (ctx) => ({
        action: "iam:PassRole",
        resource: `arn:${ctx.env.partition}:iam::${ctx.env.accountId}:role/admin`,
        context: { "iam:PassedToService": "ec2.amazonaws.com" },
      }),
    },
  },
  {
    id: "ACC-13",
    role: "load-balancer-controller",
    statement: "the load balancer controller cannot delete a load balancer it did not tag",
    expect: {
      kind: "cannot",
      request: (ctx) => ({
        action: "elasticloadbalancing:DeleteLoadBalancer",
        resource: `arn:${ctx.env.partition}:elasticloadbalancing:${ctx.env.region}:${ctx.env.accountId}:loadbalancer/app/other/0123456789abcdef`,
      }),
    },
  },
  {
    id: "ACC-14",
    role: "efs-csi-driver",
    statement: "the EFS CSI driver cannot delete an access point it did not tag",
    expect: {
      kind: "cannot",
      request: (ctx) => ({
        action: "elasticfilesystem:DeleteAccessPoint",
        resource: `arn:${ctx.env.partition}:elasticfilesystem:${ctx.env.region}:${ctx.env.accountId}:access-point/fsap-0123456789abcdef0`,
      }),
    },
  },
  {
    id: "ACC-15",
    role: "operator",
    statement: "the operator role cannot delete the data bucket",
    expect: {
      kind: "cannot",
      request: (ctx) => {
        const b = dataBucket(ctx);
        return b && { action: "s3:DeleteBucket", resource: b.arn };
      },
    },
  },
  {
    id: "ACC-16",
    role: "gateway",
    statement: `the gateway role can read, write and delete objects under every prefix the product uses: ${GATEWAY_PREFIXES.join(", ")}`,
    expect: {
      kind: "can-all",
      requests: (ctx) => {
        const b = dataBucket(ctx);
        return b && GATEWAY_PREFIXES.flatMap((p) => OBJECT_ACTIONS.map((action) => ({ action, resource: `${b.arn}/${p}x` })));
      },
    },
  },
  {
    id: "ACC-17",
    role: "gateway",
    statement: "the gateway role can s3:ListBucket under each of those prefixes",
    expect: {
      kind: "can-all",
      requests: (ctx) => {
        const b = dataBucket(ctx);
        return b && GATEWAY_PREFIXES.map((p) => ({ action: "s3:ListBucket", resource: b.arn, context: { "s3:prefix": p } }));
      },
    },
  },
  {
    id: "ACC-18",
    role: "gateway",
    statement: "the gateway role cannot s3:PutObject under the operator's pipelines/ prefix",
    expect: {
      kind: "cannot",
      request: (ctx) => {
        const b = dataBucket(ctx);
        return b && { action: "s3:PutObject", resource: `${b.arn}/pipelines/x` };
      },
    },
  },
  {
    id: "ACC-19",
    role: "gateway",
    statement: "the gateway role cannot s3:GetObject outside its prefixes in the data bucket",
    expect: {
      kind: "cannot",
      request: (ctx) => {
        const b = dataBucket(ctx);
        return b && { action: "s3:GetObject", resource: `${b.arn}/other/x` };
      },
    },
  },
  {
    id: "ACC-20",
    role: "gateway",
    statement: "the gateway role can ce:GetCostAndUsage (the cost API, gateway.cost.costExplorerEnabled)",
    expect: { kind: "can", request: () => ({ action: "ce:GetCostAndUsage", resource: "*" }) },
  },
  {
    id: "ACC-21",
    role: "gateway",
    statement: "the gateway role cannot change Cost Explorer (ce:UpdateCostAllocationTagsStatus)",
    expect: { kind: "cannot", request: () => ({ action: "ce:UpdateCostAllocationTagsStatus", resource: "*" }) },
  },
  {
    id: "ACC-22",
    role: "gateway",
    statement: "the gateway role cannot kms:Decrypt with the data bucket's key except through S3",
    expect: {
      kind: "cannot",
      request: (ctx) => {
        const b = dataBucket(ctx);
        return b?.keyArn ? { action: "kms:Decrypt", resource: substituteReferences(ctx, b.keyArn, "literal") } : undefined;
      },
    },
  },
];

export type ExpectationStatus = "passed" | "failed" | "not-applicable";

export interface ExpectationResult {
  readonly expectation: AccessExpectation;
  readonly status: ExpectationStatus;
  readonly detail: string;
}

/** The role's identity documents with references made literal where the names are known. */
function roleDocuments(ctx: AuditContext, purpose: string): PolicyDocument[] | undefined | { managed: string[] } {
  const role = roleByPurpose(ctx, purpose);
  if (!role) return undefined;
  // AWS managed policies are not in the output: an answer without them would be a guess.
  if (role.managedPolicyArns.length > 0) return { managed: role.managedPolicyArns };
  return role.policies.flatMap((p) => {
    const text = typeof p.document === "object" ? substituteReferences(ctx, JSON.stringify(p.document), "literal") : undefined;
    const doc = parsePolicyText(text);
    return doc ? [doc] : [];
  });
}

export async function checkExpectations(ctx: AuditContext, expectations: readonly AccessExpectation[] = ACCESS_EXPECTATIONS): Promise<ExpectationResult[]> {
  const results: ExpectationResult[] = [];
  let catalogue: IamCatalogue | undefined;
  for (const expectation of expectations) {
    const documents = roleDocuments(ctx, expectation.role);
    if (!documents) {
      results.push({ expectation, status: "not-applicable", detail: `no role named *-${expectation.role} in this environment` });
      continue;
    }
    if (!Array.isArray(documents)) {
      results.push({
        expectation,
        status: "not-applicable",
        detail: `the role's AWS managed policies (${documents.managed.join(", ")}) are not in the output and cannot be evaluated`,
      });
      continue;
    }
    const e = expectation.expect;
    try {
      if (e.kind === "cannot-any") {
        const patterns = documents.flatMap((d) => (Array.isArray(d.Statement) ? d.Statement : [d.Statement])).flatMap((s) => [...[s.Action ?? []].flat()]);
        catalogue = await IamCatalogue.load(patterns);
        const granted = catalogue
          .serviceKeys()
          .flatMap((service) => catalogue!.expand(`${service}:*`))
          .filter((a) => e.accessLevels.some((level) => a.accessLevel.includes(level)))
          .filter((a) => allowsSomewhere(documents, a.qualified).length > 0)
          .map((a) => a.qualified);
        results.push(
          granted.length === 0
            ? { expectation, status: "passed", detail: `no ${e.accessLevels.join("/")} action is allowed` }
            : { expectation, status: "failed", detail: `allowed: ${granted.slice(0, 10).join(", ")}${granted.length > 10 ? ", ..." : ""}` },
        );
        continue;
      }
      if (e.kind === "can-all") {
        const requests = e.requests(ctx);
        if (!requests) {
          results.push({ expectation, status: "not-applicable", detail: "the resource the expectation talks about does not exist here" });
          continue;
        }
        const denied = requests
          .filter((r) => evaluate(documents, r).decision !== "allow")
          .map((r) => `${r.action} on ${r.resource}${r.context ? ` ${JSON.stringify(r.context)}` : ""}`);
        results.push(
          denied.length === 0
            ? { expectation, status: "passed", detail: `${requests.length} requests allowed` }
            : { expectation, status: "failed", detail: `denied: ${denied.slice(0, 5).join("; ")}${denied.length > 5 ? "; ..." : ""}` },
        );
        continue;
      }
      const request = e.request(ctx);
      if (!request) {
        results.push({ expectation, status: "not-applicable", detail: "the resource the expectation talks about does not exist here" });
        continue;
      }
      const { decision } = evaluate(documents, request);
      const ok = e.kind === "can" ? decision === "allow" : decision !== "allow";
      results.push({ expectation, status: ok ? "passed" : "failed", detail: `${request.action} on ${request.resource}: ${decision}` });
    } catch (error) {
      if (!(error instanceof UnsupportedCondition)) throw error;
      results.push({ expectation, status: "failed", detail: error.message });
    }
  }
  return results;
}
