/** SEC-01..06: secrets stay out of the repository, the synthesized JSON, the plan and the state. */
import { asList, isTrue, refersTo, walkStrings } from "../terraform";
import { fail, judge, pass } from "../findings";
import { allReleaseValues, leavesIn } from "../helm-values";
import type { Finding, Rule } from "../types";

/**
 * Keys whose value is a secret itself. Keys ending in Name/Key/Ref after
 * "secret" (`existingSecret`, `workerSecretName`, `workerSecretKey`) name a
 * Kubernetes Secret or a key inside it, which is not secret.
 */
const SECRET_KEY = /(api[-_]?key|password|passwd|token|private[-_]?key|access[-_]?key|secret[-_]?access[-_]?key|client[-_]?secret|^secret)$/i;
const NAMES_A_SECRET = /(secret|key)(name|ref|key)$|^existingsecret$|secretref|name$/i;

function isLiteralSecret(key: string, value: unknown): boolean {
  if (!SECRET_KEY.test(key) || NAMES_A_SECRET.test(key)) return false;
  // A `${var.…}` reference counts too: values and set are stored in the state; only set_wo is not.
  return typeof value === "string" && value.trim() !== "";
}

/**
 * Shapes of real credentials; a hit is never a false alarm worth keeping.
 * The `tpuf_` prefix of Turbopuffer keys is an assumption (not in the public
 * SDK docs); the canary values a test passes in cover the key whatever its shape.
 */
export const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ["an AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["an AWS secret access key assignment", /aws_secret_access_key|secret_access_key["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}/i],
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a Turbopuffer API key", /\btpuf_[A-Za-z0-9]{16,}\b/],
  ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{30,}\b/],
  ["a Slack token", /\bxox[abpr]-[A-Za-z0-9-]{10,}\b/],
];

export const SECRET_RULES: Rule[] = [
  {
    id: "SEC-01",
    title: "No secret in release values",
    resourceTypes: ["helm_release"],
    checks: "no values/set/set_list entry named like a credential (apiKey, password, token...) holds a literal",
    why: "values and set are stored and diffed in plain text in the plan and the state",
    scanners: [],
    check: (ctx) =>
      allReleaseValues(ctx).flatMap((v): Finding[] => {
        const hits = [
          ...v.documents
            .flatMap((d) => leavesIn(d))
            .filter((l) => isLiteralSecret(l.key, l.value))
            .map((l) => `values: ${l.path}`),
          ...v.sets.filter((s) => isLiteralSecret(s.name.split(".").pop() ?? s.name, s.value)).map((s) => `${s.field}: ${s.name}`),
        ];
        return hits.length === 0
          ? [pass(v.release, "no credential-named literal")]
          : hits.map((h) => fail(v.release, `${h} holds a literal credential; pass it with set_wo or an existing Secret`));
      }),
  },
  {
    id: "SEC-02",
    title: "Write-only values rotate through set_wo_revision",
    resourceTypes: ["helm_release"],
    checks: "a release with set_wo also sets set_wo_revision",
    why: "write-only values are never diffed; only a revision bump pushes a rotated key",
    scanners: [],
    check: (ctx) =>
      ctx
        .resources("helm_release")
        .filter((r) => r.body.set_wo !== undefined)
        .flatMap((r) =>
          judge(r, [[r.body.set_wo_revision !== undefined, "set_wo without set_wo_revision: a rotated key would never be applied"]], "set_wo with a revision"),
        ),
  },
  {
    id: "SEC-03",
    title: "Secret variables are sensitive, ephemeral and have no default",
    resourceTypes: ["variable"],
    checks: "every variable named like a credential has sensitive = true, ephemeral = true and no default",
    why: "ephemeral variables are never persisted to plan or state",
    scanners: [],
    check: (ctx) =>
      (["aws", "helm"] as const).flatMap((stack) =>
        Object.entries(ctx.stacks[stack]?.variable ?? {})
          .filter(
            ([name]) => /(api_?keys?|password|passwd|token|secret|keys)$/i.test(name) && !/(kms_key|key_id|key_arn|_name|_arn|revision|version)$/i.test(name),
          )
          .flatMap(([name, v]) =>
            judge(
              { address: `var.${name}`, stack },
              [
                [isTrue(v.sensitive), "sensitive is not true"],
                [isTrue(v.ephemeral), "ephemeral is not true (the value would be stored in the plan)"],
                [v.default === undefined, "has a default (a literal secret in the JSON)"],
              ],
              "sensitive, ephemeral, no default",
            ),
          ),
      ),
  },
  {
    id: "SEC-04",
    title: "No literal secret anywhere in the synthesized JSON",
    resourceTypes: ["cdk.tf.json"],
    checks: "no string matches a credential pattern (AWS keys, private keys, Turbopuffer/GitHub/Slack tokens) or a canary value",
    why: "synth writes every literal to disk, and from there to CI logs and plans",
    scanners: [],
    check: (ctx) =>
      (["aws", "helm"] as const)
        .filter((s) => ctx.stacks[s])
        .flatMap((stack): Finding[] => {
          const hits: string[] = [];
          walkStrings(ctx.stacks[stack], (text, path) => {
            for (const [what, pattern] of SECRET_PATTERNS) if (pattern.test(text)) hits.push(`${path} contains ${what}`);
            for (const canary of ctx.canaries) if (canary && text.includes(canary)) hits.push(`${path} contains the canary value`);
          });
          const where = { address: "cdk.tf.json", stack };
          return hits.length === 0 ? [pass(where, "no secret pattern or canary")] : hits.map((h) => fail(where, h));
        }),
  },
  {
    id: "SEC-05",
    title: "Secrets Manager secrets: CMK, recovery window, no stored value",
    resourceTypes: ["aws_secretsmanager_secret", "aws_secretsmanager_secret_version"],
    checks: "kms_key_id set; recovery_window_in_days 7-30; secret versions use secret_string_wo, never secret_string",
    why: "secret_string is stored in the state in plain text",
    scanners: ["CKV_AWS_149", "CKV2_AWS_57"],
    check: (ctx) => [
      ...ctx.resources("aws_secretsmanager_secret").flatMap((r) => {
        const days = r.body.recovery_window_in_days ?? 30;
        const rotated = ctx.resources("aws_secretsmanager_secret_rotation").some((x) => refersTo(x.body.secret_id, "aws_secretsmanager_secret", r.name));
        return judge(
          r,
          [
            [rotated, "no automatic rotation (aws_secretsmanager_secret_rotation)"],
            [r.body.kms_key_id !== undefined, "kms_key_id is not set (the AWS managed key is used)"],
            [days >= 7 && days <= 30, `recovery_window_in_days is ${days}; expected 7-30`],
          ],
          "CMK and recovery window",
        );
      }),
      ...ctx
        .resources("aws_secretsmanager_secret_version")
        .flatMap((r) =>
          judge(
            r,
            [
              [
                r.body.secret_string === undefined && r.body.secret_binary === undefined,
                "secret_string/secret_binary is set; use secret_string_wo from an ephemeral variable",
              ],
            ],
            "no stored secret value",
          ),
        ),
    ],
  },
  {
    id: "SEC-06",
    title: "Providers hold no credentials; Kubernetes providers use exec auth",
    resourceTypes: ["provider.aws", "provider.helm", "provider.kubernetes"],
    checks: "no access_key/secret_key/token on any provider; helm and kubernetes providers authenticate with an exec plugin",
    why: "static credentials in provider blocks land in the JSON; exec tokens are short-lived and never stored",
    scanners: ["CKV_AWS_41"],
    check: (ctx) =>
      (["aws", "helm"] as const).flatMap((stack) =>
        Object.entries(ctx.stacks[stack]?.provider ?? {}).flatMap(([type, configs]) =>
          asList<any>(configs).flatMap((p, i) => {
            const kube = type === "helm" ? (Array.isArray(p.kubernetes) ? p.kubernetes[0] : p.kubernetes) : type === "kubernetes" ? p : undefined;
            const conditions: Array<[boolean, string]> = [
              [p.access_key === undefined && p.secret_key === undefined && p.token === undefined, "static credentials (access_key/secret_key/token) are set"],
            ];
            if (kube) {
              conditions.push([
                kube.token === undefined && kube.password === undefined && kube.client_key === undefined,
                "a static Kubernetes token, password or client key is set",
              ]);
              conditions.push([kube.exec !== undefined, "no exec plugin (aws eks get-token)"]);
            }
            return judge({ address: `provider.${type}[${i}]`, stack }, conditions, kube ? "exec auth, no static credentials" : "no static credentials");
          }),
        ),
      ),
  },
];
