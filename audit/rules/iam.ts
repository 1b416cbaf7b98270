/** IAM-06..15: what each role may do, read from its identity policies and attachments. */
import { asList, refersTo } from "../terraform";
import { fail, judge, pass } from "../findings";
import { collectDocuments, statementsOf, Statement } from "../iam/policy";
import { roleByPurpose, roleViews, RoleView } from "../iam/graph";
import { EXFILTRATION_ACTIONS, ESCALATION_ACTIONS, catalogueFor, hasStarResource, isTagScoped, perStatement, starAllowed } from "../iam/lint";
import { globToRegExp } from "../iam/catalogue";
import type { AuditContext, Finding, Rule } from "../types";

/** The one action the gateway role holds beyond S3 and KMS: its cost API's Cost Explorer query. */
const GATEWAY_COST_READ = "ce:GetCostAndUsage";

const matchesAny = (action: string, patterns: string[]) => patterns.some((p) => globToRegExp(p, true).test(action));

/** The dashboard's cost-read set (security bar §6 / IAM-13). */
export const DASHBOARD_ACTIONS = [
  "ce:GetCostAndUsage",
  "ce:GetCostForecast",
  "ce:GetDimensionValues",
  "ce:GetTags",
  "pricing:GetProducts",
  "pricing:DescribeServices",
  "pricing:GetAttributeValues",
  "cloudwatch:GetMetricData",
  "cloudwatch:ListMetrics",
];

/** AWS managed policies a node role may carry (IAM-14). */
export const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore"];

export const IAM_PERMISSION_RULES: Rule[] = [
  {
    id: "IAM-06",
    title: "No AdministratorAccess or IAMFullAccess",
    resourceTypes: ["aws_iam_role", "aws_iam_role_policy_attachment", "aws_iam_policy_attachment"],
    checks: "no attachment of arn:aws:iam::aws:policy/AdministratorAccess or IAMFullAccess",
    why: "full admin from a pod is a full account compromise",
    scanners: ["CKV_AWS_274", "CKV2_AWS_56"],
    check: (ctx) =>
      roleViews(ctx).flatMap((r) =>
        judge(
          r.resource,
          [[!r.managedPolicyArns.some((a) => /policy\/(AdministratorAccess|IAMFullAccess)$/.test(a)), `attached ${r.managedPolicyArns.join(", ")}`]],
          "no admin policies",
        ),
      ),
  },
  {
    id: "IAM-07",
    title: "No Action *, no iam:*",
    resourceTypes: ["aws_iam_policy", "aws_iam_role_policy"],
    checks: 'no Allow with Action "*" or "iam:*", and no Allow with NotAction',
    why: "wildcard actions grant everything added to AWS later too",
    scanners: ["CKV_AWS_63", "CKV_AWS_49", "CKV_AWS_62", "CKV_AWS_1", "CKV2_AWS_40", "AVD-AWS-0057"],
    check: (ctx) =>
      perStatement(ctx, (s, at) => {
        if (s.Effect !== "Allow") return [];
        const out: string[] = [];
        if (asList(s.Action).some((a) => a === "*" || a.toLowerCase() === "iam:*")) out.push(`${at}: Action ${JSON.stringify(s.Action)}`);
        if (s.NotAction !== undefined) out.push(`${at}: Allow with NotAction grants everything else`);
        return out;
      }),
  },
  {
    id: "IAM-08",
    title: 'Resource "*" only for actions that cannot be scoped',
    resourceTypes: ["aws_iam_policy", "aws_iam_role_policy"],
    checks: `Allow on "*" only for actions without resource types in the AWS catalogue, the IAM-08 allow-list, or statements scoped by a request/resource tag condition`,
    why: "an action that accepts an ARN should get one",
    scanners: ["CKV_AWS_355", "CKV_AWS_356", "AVD-AWS-0057", "AVD-AWS-0345"],
    check: async (ctx) => {
      const catalogue = await catalogueFor(ctx);
      return perStatement(ctx, (s, at) => {
        if (s.Effect !== "Allow" || !hasStarResource(s) || isTagScoped(s)) return [];
        const scoped = asList(s.Action)
          .flatMap((p) => catalogue.expand(p))
          .filter((a) => a.resourceArns.length > 0 && !starAllowed(a.qualified));
        return scoped.length === 0
          ? []
          : [
              `${at}: Resource "*" for actions that accept ARNs: ${[...new Set(scoped.map((a) => a.qualified))].slice(0, 8).join(", ")}${scoped.length > 8 ? ", ..." : ""}`,
            ];
      });
    },
  },
  {
    id: "IAM-09",
    title: "PassRole scoped; no privilege escalation on *",
    resourceTypes: ["aws_iam_policy", "aws_iam_role_policy"],
    checks:
      "iam:PassRole only on explicit role ARNs with an iam:PassedToService condition; no escalation action (CreatePolicyVersion, AttachRolePolicy, PutRolePolicy, CreateAccessKey, sts:AssumeRole...) on a wildcard resource",
    why: "PassRole on * hands any role to any service the principal can drive",
    scanners: ["CKV_AWS_286", "CKV_AWS_110", "AVD-AWS-0342"],
    check: (ctx) =>
      perStatement(ctx, (s, at) => {
        if (s.Effect !== "Allow") return [];
        const actions = asList(s.Action);
        const out: string[] = [];
        if (actions.some((a) => globToRegExp(a, true).test("iam:PassRole"))) {
          const resources = asList(s.Resource);
          if (resources.length === 0 || resources.some((r) => r.includes("*")))
            out.push(`${at}: iam:PassRole on ${JSON.stringify(s.Resource)}; expected explicit role ARNs`);
          const passed = Object.values(s.Condition ?? {}).some((keys) => Object.keys(keys).some((k) => k.toLowerCase() === "iam:passedtoservice"));
          if (!passed) out.push(`${at}: iam:PassRole without an iam:PassedToService condition`);
        }
        if (asList(s.Resource).some((r) => r === "*" || /:\*$/.test(r))) {
          const escalation = ESCALATION_ACTIONS.filter((e) => actions.some((a) => globToRegExp(a, true).test(e)));
          if (escalation.length) out.push(`${at}: privilege escalation actions on a wildcard resource: ${escalation.join(", ")}`);
        }
        return out;
      }),
  },
  {
    id: "IAM-10",
    title: "No data exfiltration or permissions management on *",
    resourceTypes: ["aws_iam_policy", "aws_iam_role_policy"],
    checks: `no ${EXFILTRATION_ACTIONS.join(", ")} and no "Permissions management" action on Resource "*"`,
    why: "read-all data access and permission changes are the two shortest paths to a breach",
    scanners: ["CKV_AWS_288", "CKV_AWS_108", "CKV_AWS_290", "CKV_AWS_111", "CKV_AWS_289", "CKV_AWS_109", "CKV_AWS_287", "CKV_AWS_107"],
    check: async (ctx) => {
      const catalogue = await catalogueFor(ctx);
      return perStatement(ctx, (s, at) => {
        if (s.Effect !== "Allow" || !hasStarResource(s)) return [];
        const expanded = asList(s.Action).flatMap((p) => catalogue.expand(p));
        const exfil = expanded.filter((a) => matchesAny(a.qualified, EXFILTRATION_ACTIONS)).map((a) => a.qualified);
        const perms = isTagScoped(s) ? [] : expanded.filter((a) => /Permissions management/.test(a.accessLevel)).map((a) => a.qualified);
        return [...new Set([...exfil, ...perms])].length ? [`${at}: on "*": ${[...new Set([...exfil, ...perms])].slice(0, 8).join(", ")}`] : [];
      });
    },
  },
  {
    id: "IAM-11",
    title: "Policies are separate literal JSON documents",
    resourceTypes: ["aws_iam_role", "aws_iam_policy", "aws_iam_role_policy"],
    checks: "no aws_iam_role.inline_policy; every policy argument is a literal JSON document (not jsonencode or a data source)",
    why: "scanners and this audit can only read literal JSON",
    scanners: [],
    check: (ctx) => [
      ...ctx.resources("aws_iam_role").flatMap((r) => judge(r, [[r.body.inline_policy === undefined, "inline_policy is set"]], "no inline_policy")),
      ...collectDocuments(ctx)
        .filter((d) => d.resource.type !== "aws_iam_role" || d.field === "assume_role_policy")
        .flatMap((d) =>
          judge(
            d.resource,
            [[d.document !== undefined, `${d.field} is not a literal JSON policy document: ${String(d.text).slice(0, 60)}`]],
            `${d.field} is literal JSON`,
          ),
        ),
    ],
  },
  {
    id: "IAM-12",
    title: "Gateway: bucket prefixes and the bucket key only",
    resourceTypes: ["aws_iam_role (gateway)"],
    checks:
      "object actions only on <bucket>/<prefix>*, bucket-level actions (s3:ListBucket...) only on the bucket ARN, no s3 wildcard actions, kms actions only on a project key; besides them only ce:GetCostAndUsage (the gateway's cost API, no resource-level permissions); no other service",
    why: "the gateway is internet-facing; its role is the blast radius of a compromise",
    scanners: [],
    check: (ctx) =>
      purposePolicies(ctx, "gateway", (s, at) => {
        const out: string[] = [];
        const resources = asList(s.Resource);
        for (const action of asList(s.Action)) {
          const [service] = action.split(":");
          const bucketArn = /^(\$\{aws_s3_bucket\.[\w-]+\.arn\}|arn:aws[a-z-]*:s3:::[a-z0-9.-]+)$/;
          const prefixArn = /^(\$\{aws_s3_bucket\.[\w-]+\.arn\}|arn:aws[a-z-]*:s3:::[a-z0-9.-]+)\/[^*]+\*?$/;
          if (service === "s3" && /Object|MultipartUpload/i.test(action)) {
            if (!resources.every((r) => prefixArn.test(r))) out.push(`${at}: ${action} on ${JSON.stringify(resources)}; expected <bucket>/<prefix>*`);
          } else if (service === "s3" && !action.includes("*")) {
            // Bucket-level actions (ListBucket, GetBucketLocation): the bucket itself, never another.
            if (!resources.every((r) => bucketArn.test(r))) out.push(`${at}: ${action} on ${JSON.stringify(resources)}; expected the bucket ARN`);
          } else if (service === "kms") {
            if (!resources.every((r) => refersTo(r, "aws_kms_key") || /^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\//.test(r)))
              out.push(`${at}: ${action} on ${JSON.stringify(resources)}; expected the bucket key`);
          } else if (action === GATEWAY_COST_READ) {
            // The cost API (gateway.cost.costExplorerEnabled): a read that only exists on "*".
            if (!resources.every((r) => r === "*")) out.push(`${at}: ${action} on ${JSON.stringify(resources)}; expected "*"`);
          } else {
            out.push(`${at}: ${action} is outside the data bucket, its key and the cost read`);
          }
        }
        return out;
      }),
  },
  {
    id: "IAM-13",
    title: "Dashboard: exactly the cost-read set",
    resourceTypes: ["aws_iam_role (dashboard)"],
    checks: `allowed actions are exactly ${DASHBOARD_ACTIONS.join(", ")}; never ce:*`,
    why: "ce:* includes cost category and anomaly monitor writes",
    scanners: [],
    check: (ctx) => {
      const role = roleByPurpose(ctx, "dashboard");
      if (!role) return [];
      const actions = role.policies
        .flatMap((p) => statementsOf(p.document))
        .filter((s) => s.Effect === "Allow")
        .flatMap((s) => asList(s.Action));
      const extra = actions.filter((a) => !DASHBOARD_ACTIONS.includes(a));
      const missing = DASHBOARD_ACTIONS.filter((a) => !actions.includes(a));
      return judge(
        role.resource,
        [
          [extra.length === 0, `actions beyond the cost-read set: ${extra.join(", ")}`],
          [missing.length === 0, `missing cost-read actions: ${missing.join(", ")}`],
          [role.managedPolicyArns.length === 0, `managed policies attached: ${role.managedPolicyArns.join(", ")}`],
        ],
        "exactly the cost-read set",
      );
    },
  },
  {
    id: "IAM-14",
    title: "Node roles: worker, ECR pull-only, CNI, SSM only",
    resourceTypes: ["aws_iam_role (system-node, karpenter-node)"],
    checks: `attachments only from ${NODE_POLICIES.join(", ")}; no customer-managed or inline policies`,
    why: "every pod on the node can reach what the node role can",
    scanners: [],
    check: (ctx) =>
      roleViews(ctx)
        .filter((r) => /-(system-node|karpenter-node|node)$/.test(r.name))
        .flatMap((r) =>
          judge(
            r.resource,
            [
              [r.managedPolicyArns.every((a) => NODE_POLICIES.some((n) => a.endsWith(`:policy/${n}`))), `attachments ${r.managedPolicyArns.join(", ")}`],
              [r.policies.length === 0, `customer or inline policies: ${r.policies.map((p) => p.address).join(", ")}`],
            ],
            "node policies only",
          ),
        ),
  },
  {
    id: "IAM-15",
    title: "Controller policies scoped like upstream",
    resourceTypes: ["aws_iam_role (karpenter-controller, load-balancer-controller, efs-csi-driver)"],
    checks:
      "Delete*/Terminate* on wildcard resources carry a ResourceTag condition; Karpenter: RunInstances/CreateFleet/CreateLaunchTemplate on owned types carry a RequestTag or ResourceTag condition, ssm:GetParameter only on parameter/aws/service/*, sqs:* only on the interruption queue, eks:DescribeCluster only on this cluster",
    why: "controllers must only touch what they created for this cluster",
    scanners: [],
    check: (ctx) =>
      ["karpenter-controller", "load-balancer-controller", "efs-csi-driver"].flatMap((purpose) =>
        purposePolicies(ctx, purpose, (s, at) => {
          if (s.Effect !== "Allow") return [];
          const out: string[] = [];
          const actions = asList(s.Action);
          const resources = asList(s.Resource);
          const wildcard = resources.some((r) => r.includes("*"));
          const resourceTagged = Object.values(s.Condition ?? {}).some((k) => Object.keys(k).some((x) => /ResourceTag\//i.test(x)));
          const requestTagged = Object.values(s.Condition ?? {}).some((k) => Object.keys(k).some((x) => /RequestTag\//i.test(x)));
          if (wildcard && actions.some((a) => /:(Delete|Terminate)/i.test(a)) && !resourceTagged)
            out.push(
              `${at}: ${actions.filter((a) => /:(Delete|Terminate)/i.test(a)).join(", ")} on ${JSON.stringify(resources)} without a ResourceTag condition`,
            );
          if (purpose === "karpenter-controller") {
            const owned = resources.some((r) => r === "*" || /:(instance|fleet|volume|network-interface|launch-template|spot-instances-request)\/\*$/.test(r));
            // Creating (RequestTag) or launching from existing launch templates (ResourceTag), as upstream does.
            if (owned && actions.some((a) => /^ec2:(RunInstances|CreateFleet|CreateLaunchTemplate)$/i.test(a)) && !requestTagged && !resourceTagged)
              out.push(`${at}: instance creation on ${JSON.stringify(resources)} without a RequestTag or ResourceTag condition`);
            if (actions.some((a) => /^ssm:GetParameter/i.test(a)) && !resources.every((r) => /:parameter\/aws\/service\/\*?/.test(r)))
              out.push(`${at}: ssm:GetParameter on ${JSON.stringify(resources)}; expected parameter/aws/service/*`);
            if (
              actions.some((a) => /^sqs:/i.test(a)) &&
              !resources.every((r) => refersTo(r, "aws_sqs_queue") || /^arn:aws[a-z-]*:sqs:[^:*]+:\d{12}:[\w-]+$/.test(r))
            )
              out.push(`${at}: sqs actions on ${JSON.stringify(resources)}; expected the interruption queue`);
            if (
              actions.some((a) => /^eks:DescribeCluster$/i.test(a)) &&
              !resources.every((r) => refersTo(r, "aws_eks_cluster") || /^arn:aws[a-z-]*:eks:[^:*]+:\d{12}:cluster\/[\w-]+$/.test(r))
            )
              out.push(`${at}: eks:DescribeCluster on ${JSON.stringify(resources)}; expected this cluster`);
          }
          return out;
        }),
      ),
  },
];

/** Statements of the identity policies of the role with this purpose suffix. */
function purposePolicies(ctx: AuditContext, purpose: string, check: (s: Statement, at: string) => string[]): Finding[] {
  const role: RoleView | undefined = roleByPurpose(ctx, purpose);
  if (!role) return [];
  const problems = role.policies.flatMap((p) =>
    statementsOf(p.document).flatMap((s, i) => check(s, `${p.address} Statement[${i}]${s.Sid ? ` (${s.Sid})` : ""}`)),
  );
  return problems.length === 0 ? [pass(role.resource, `${purpose} policies scoped`)] : problems.map((p) => fail(role.resource, p));
}
