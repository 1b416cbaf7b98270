/** KAR-01..05: the interruption queue, its EventBridge rules and the node role's access entry. */
import { asList, isTrue, refersTo } from "../terraform";
import { judge } from "../findings";
import { parsePolicyText, statementsOf } from "../iam/policy";
import type { AuditContext, ResourceRef, Rule } from "../types";

/** Karpenter's interruption queue: named `<prefix>-<env>-karpenter-interruptions` (config/naming.ts). */
const queues = (ctx: AuditContext): ResourceRef[] =>
  ctx.resources("aws_sqs_queue").filter((q) => /karpenter|interrupt/i.test(`${q.name} ${q.body.name ?? ""}`));

/** Upstream detail types (Karpenter getting-started CloudFormation). */
export const INTERRUPTION_EVENTS: Array<[string, string]> = [
  ["aws.health", "AWS Health Event"],
  ["aws.ec2", "EC2 Spot Instance Interruption Warning"],
  ["aws.ec2", "EC2 Instance Rebalance Recommendation"],
  ["aws.ec2", "EC2 Instance State-change Notification"],
  ["aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"],
];

export const KARPENTER_RULES: Rule[] = [
  {
    id: "KAR-01",
    title: "Interruption queue encrypted",
    resourceTypes: ["aws_sqs_queue"],
    checks: "sqs_managed_sse_enabled is true, or kms_master_key_id is a CMK other than alias/aws/sqs",
    why: "interruption messages describe the fleet",
    scanners: ["CKV_AWS_27", "CKV2_AWS_73", "AVD-AWS-0096", "AVD-AWS-0135"],
    check: (ctx) =>
      ctx
        .resources("aws_sqs_queue")
        .flatMap((r) =>
          judge(
            r,
            [
              [
                isTrue(r.body.sqs_managed_sse_enabled) || (r.body.kms_master_key_id !== undefined && r.body.kms_master_key_id !== "alias/aws/sqs"),
                "neither SQS-managed SSE nor a customer-managed key",
              ],
            ],
            "encrypted",
          ),
        ),
  },
  {
    id: "KAR-02",
    title: "Interruption queue keeps messages 300 s",
    resourceTypes: ["aws_sqs_queue"],
    checks: "message_retention_seconds is 300",
    why: "interruption notices are useless after the two-minute warning; upstream uses 300",
    scanners: [],
    check: (ctx) =>
      queues(ctx).flatMap((r) =>
        judge(
          r,
          [
            [
              Number(r.body.message_retention_seconds) === 300,
              `message_retention_seconds is ${JSON.stringify(r.body.message_retention_seconds)}; expected 300`,
            ],
          ],
          "300 s",
        ),
      ),
  },
  {
    id: "KAR-03",
    title: "Queue policy: only EventBridge and SQS may send, TLS only",
    resourceTypes: ["aws_sqs_queue_policy"],
    checks: "Allow only sqs:SendMessage from Service events.amazonaws.com / sqs.amazonaws.com on the queue; Deny sqs:* when aws:SecureTransport is false",
    why: "nobody else can inject fake interruptions",
    scanners: ["CKV_AWS_72", "CKV_AWS_168", "CKV_AWS_387", "AVD-AWS-0097"],
    check: (ctx) =>
      queues(ctx).flatMap((q) => {
        const policy = ctx.resources("aws_sqs_queue_policy").find((p) => refersTo(p.body.queue_url, "aws_sqs_queue", q.name));
        const statements = statementsOf(parsePolicyText(policy?.body.policy));
        const allows = statements.filter((s) => s.Effect === "Allow");
        const services = allows.flatMap((s) => asList<string>(s.Principal?.Service));
        return judge(
          q,
          [
            [policy !== undefined, "no aws_sqs_queue_policy references this queue"],
            [
              allows.length > 0 &&
                allows.every(
                  (s) =>
                    asList(s.Action).every((a) => a === "sqs:SendMessage") && s.Principal?.AWS === undefined && asList<string>(s.Principal?.Service).length > 0,
                ),
              "an Allow grants more than sqs:SendMessage or to a non-service principal",
            ],
            [services.every((s) => s === "events.amazonaws.com" || s === "sqs.amazonaws.com"), `services allowed: ${services.join(", ")}`],
            [
              statements.some(
                (s) => s.Effect === "Deny" && asList(s.Action).includes("sqs:*") && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
              ),
              "no Deny of sqs:* for aws:SecureTransport=false",
            ],
          ],
          "only EventBridge/SQS send, TLS only",
        );
      }),
  },
  {
    id: "KAR-04",
    title: "All five interruption event rules target the queue",
    resourceTypes: ["aws_cloudwatch_event_rule", "aws_cloudwatch_event_target"],
    checks: INTERRUPTION_EVENTS.map(([s, d]) => `${s} "${d}"`).join("; ") + "; every target is the queue ARN",
    why: "a missing rule means Karpenter never hears of that interruption",
    scanners: [],
    check: (ctx) =>
      queues(ctx).flatMap((q) => {
        const rules = ctx.resources("aws_cloudwatch_event_rule").map((r) => {
          let pattern: any = {};
          try {
            pattern = JSON.parse(r.body.event_pattern);
          } catch {
            pattern = {};
          }
          return { r, sources: asList<string>(pattern.source), types: asList<string>(pattern["detail-type"]) };
        });
        const missing = INTERRUPTION_EVENTS.filter(([source, type]) => !rules.some((x) => x.sources.includes(source) && x.types.includes(type)));
        const targets = ctx.resources("aws_cloudwatch_event_target");
        const untargeted = rules
          .filter((x) => x.types.length > 0)
          .filter((x) => !targets.some((t) => refersTo(t.body.rule, "aws_cloudwatch_event_rule", x.r.name) && refersTo(t.body.arn, "aws_sqs_queue", q.name)));
        return judge(
          q,
          [
            [missing.length === 0, `no event rule for ${missing.map(([s, d]) => `${s} "${d}"`).join(", ")}`],
            [untargeted.length === 0, `rules without a target on this queue: ${untargeted.map((x) => x.r.address).join(", ")}`],
          ],
          "five rules into the queue",
        );
      }),
  },
  {
    id: "KAR-05",
    title: "Karpenter node role access entry is EC2_LINUX",
    resourceTypes: ["aws_eks_access_entry"],
    checks: 'the access entry of the Karpenter node role has type "EC2_LINUX"',
    why: "nodes join the cluster with the node role, without an aws-auth entry",
    scanners: [],
    check: (ctx) =>
      ctx
        .resources("aws_eks_access_entry")
        .filter((r) => /karpenter[-_]node/.test(`${r.name} ${r.body.principal_arn}`))
        .flatMap((r) => judge(r, [[r.body.type === "EC2_LINUX", `type is ${JSON.stringify(r.body.type)}; expected "EC2_LINUX"`]], "EC2_LINUX")),
  },
];
