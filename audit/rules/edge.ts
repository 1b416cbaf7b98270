/**
 * EDGE-01..05: the certificate, the zone, and the ALB the load balancer
 * controller builds from the release's Ingress annotations. Scanners never
 * see that ALB: it is not a Terraform resource.
 */
import { asList, block } from "../terraform";
import { fail, judge } from "../findings";
import { allReleaseValues, objectsIn } from "../helm-values";
import type { AuditContext, Finding, Rule } from "../types";

const ALB = "alb.ingress.kubernetes.io/";

interface AlbAnnotations {
  release: { address: string; stack: "aws" | "helm" };
  path: string;
  annotations: Record<string, unknown>;
  /** ingress: an Ingress's annotations; class: an IngressClassParams spec, in annotation form. */
  source: "ingress" | "class";
}

/**
 * An IngressClassParams spec (`ingressClassParams.spec` of the load balancer
 * controller's values) as the annotations it stands for: it applies to every
 * Ingress of the class, and the product chart's Ingress takes its TLS policy
 * and attributes from there.
 */
function classParamsAsAnnotations(spec: Record<string, any>): Record<string, unknown> {
  const attributes = asList<any>(spec.loadBalancerAttributes)
    .map((a) => `${a.key}=${a.value}`)
    .join(",");
  return {
    ...(spec.sslPolicy !== undefined ? { [`${ALB}ssl-policy`]: spec.sslPolicy } : {}),
    ...(attributes ? { [`${ALB}load-balancer-attributes`]: attributes } : {}),
    ...(spec.wafv2AclArn !== undefined ? { [`${ALB}wafv2-acl-arn`]: spec.wafv2AclArn } : {}),
  };
}

/** Every annotations map in any release's values that configures an ALB, and every IngressClassParams spec. */
export function albAnnotations(ctx: AuditContext): AlbAnnotations[] {
  const out: AlbAnnotations[] = [];
  for (const v of allReleaseValues(ctx)) {
    for (const doc of v.documents) {
      for (const { path, object } of objectsIn(doc)) {
        if (Object.keys(object).some((k) => k.startsWith(ALB))) out.push({ release: v.release, path, annotations: object, source: "ingress" });
      }
      const spec = (doc as any)?.ingressClassParams?.spec;
      if (spec && typeof spec === "object")
        out.push({ release: v.release, path: "ingressClassParams.spec", annotations: classParamsAsAnnotations(spec), source: "class" });
    }
  }
  return out;
}

function attributes(text: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of String(text ?? "").split(",")) {
    const [k, ...rest] = pair.split("=");
    if (k.trim()) out.set(k.trim(), rest.join("=").trim());
  }
  return out;
}

function listenPorts(text: unknown): Array<Record<string, number>> | undefined {
  try {
    const v = JSON.parse(String(text));
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;
const isCertificateReference = (s: string) =>
  ACM_ARN.test(s) || /^\$\{(aws_acm_certificate|aws_acm_certificate_validation|var|data\.aws_acm_certificate)[.\w]*\}$/.test(s);

function eachAlb(
  ctx: AuditContext,
  judgeOne: (a: AlbAnnotations, at: string) => Finding[],
  sources: Array<AlbAnnotations["source"]> = ["ingress", "class"],
): Finding[] {
  return albAnnotations(ctx)
    .filter((a) => sources.includes(a.source))
    .flatMap((a) => judgeOne(a, a.source === "class" ? a.path : `${a.path} annotations`));
}

export const EDGE_RULES: Rule[] = [
  {
    id: "EDGE-01",
    title: "Certificates replace safely and validate by DNS",
    resourceTypes: ["aws_acm_certificate"],
    checks: 'lifecycle.create_before_destroy true; validation_method "DNS"; certificate transparency logging not DISABLED',
    why: "a renewed certificate exists before the old one goes; DNS validation renews unattended",
    scanners: ["CKV_AWS_233", "CKV_AWS_234"],
    check: (ctx) =>
      ctx.resources("aws_acm_certificate").flatMap((r) =>
        judge(
          r,
          [
            [block(r.body.lifecycle)?.create_before_destroy === true, "lifecycle.create_before_destroy is not true"],
            [r.body.validation_method === "DNS", `validation_method is ${JSON.stringify(r.body.validation_method)}; expected "DNS"`],
            [block(r.body.options)?.certificate_transparency_logging_preference !== "DISABLED", "certificate transparency logging is DISABLED"],
          ],
          "DNS-validated, create_before_destroy",
        ),
      ),
  },
  {
    id: "EDGE-02",
    title: "No wildcard certificates",
    resourceTypes: ["aws_acm_certificate"],
    checks: "domain_name and subject_alternative_names hold no *.",
    why: "a leaked wildcard key impersonates every host in the zone",
    scanners: ["CKV2_AWS_71", "CKV2_AWS_38 (DNSSEC: optional, not checked)", "CKV2_AWS_39 (query logging: optional, not checked)"],
    check: (ctx) =>
      ctx.resources("aws_acm_certificate").flatMap((r) => {
        const names = [r.body.domain_name, ...asList<string>(r.body.subject_alternative_names)];
        return judge(r, [[!names.some((n) => String(n).startsWith("*")), `wildcard name in ${names.join(", ")}`]], "no wildcard");
      }),
  },
  {
    id: "EDGE-03",
    title: "ALB listens on HTTPS only, HTTP redirected, ACM certificate",
    resourceTypes: ["helm_release values (Ingress annotations)"],
    checks: `${ALB}listen-ports is HTTPS 443 (plus HTTP 80 only with ssl-redirect 443); certificate-arn is an ACM ARN or a reference to the project's certificate`,
    why: "no plaintext listener serves traffic",
    scanners: ["CKV_AWS_2", "CKV2_AWS_20", "CKV_AWS_378", "AVD-AWS-0054"],
    check: (ctx) =>
      eachAlb(
        ctx,
        (a, at) => {
          const ports = listenPorts(a.annotations[`${ALB}listen-ports`]);
          const https = ports?.some((p) => p.HTTPS === 443) ?? false;
          const http = ports?.some((p) => p.HTTP !== undefined) ?? false;
          const other = ports?.some((p) => !(p.HTTPS === 443 || p.HTTP === 80)) ?? false;
          const certificates = String(a.annotations[`${ALB}certificate-arn`] ?? "")
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
          return judge(
            a.release,
            [
              [
                ports !== undefined && https && !other,
                `${at}: listen-ports ${JSON.stringify(a.annotations[`${ALB}listen-ports`])}; expected [{"HTTPS":443}] (and optionally {"HTTP":80})`,
              ],
              [!http || String(a.annotations[`${ALB}ssl-redirect`]) === "443", `${at}: HTTP 80 is open without ssl-redirect "443"`],
              [
                certificates.length > 0 && certificates.every(isCertificateReference),
                `${at}: certificate-arn ${JSON.stringify(a.annotations[`${ALB}certificate-arn`])} is not an ACM certificate`,
              ],
            ],
            `${at}: HTTPS only`,
          );
        },
        ["ingress"],
      ),
  },
  {
    id: "EDGE-04",
    title: "TLS 1.3 security policy",
    resourceTypes: ["helm_release values (Ingress annotations)"],
    checks: `${ALB}ssl-policy starts with ELBSecurityPolicy-TLS13-1-2`,
    why: "old TLS versions and ciphers are refused",
    scanners: ["CKV_AWS_103", "CKV2_AWS_74", "AVD-AWS-0047"],
    check: (ctx) =>
      eachAlb(ctx, (a, at) =>
        judge(
          a.release,
          [
            [
              String(a.annotations[`${ALB}ssl-policy`] ?? "").startsWith("ELBSecurityPolicy-TLS13-1-2"),
              `${at}: ssl-policy is ${JSON.stringify(a.annotations[`${ALB}ssl-policy`])}`,
            ],
          ],
          `${at}: TLS 1.3 policy`,
        ),
      ),
  },
  {
    id: "EDGE-05",
    title: "ALB drops invalid headers, mitigates desync; protected: deletion protection and access logs",
    resourceTypes: ["helm_release values (Ingress annotations)"],
    checks: `${ALB}load-balancer-attributes has routing.http.drop_invalid_header_fields.enabled=true and desync_mitigation_mode defensive/strictest; in protected environments also deletion_protection.enabled=true and access_logs.s3.enabled=true`,
    why: "request smuggling and header injection are stopped at the edge; production ALBs survive a stray delete and leave access logs",
    scanners: ["CKV_AWS_131", "CKV_AWS_328", "CKV_AWS_150", "CKV_AWS_91", "AVD-AWS-0052"],
    check: (ctx) =>
      eachAlb(ctx, (a, at) => {
        const attrs = attributes(a.annotations[`${ALB}load-balancer-attributes`]);
        const conditions: Array<[boolean, string]> = [
          [attrs.get("routing.http.drop_invalid_header_fields.enabled") === "true", `${at}: drop_invalid_header_fields is not enabled`],
          [
            ["defensive", "strictest"].includes(attrs.get("routing.http.desync_mitigation_mode") ?? "defensive"),
            `${at}: desync_mitigation_mode is ${attrs.get("routing.http.desync_mitigation_mode")}`,
          ],
        ];
        if (ctx.env.protected) {
          conditions.push([attrs.get("deletion_protection.enabled") === "true", `${at}: deletion_protection is not enabled in a protected environment`]);
          conditions.push([attrs.get("access_logs.s3.enabled") === "true", `${at}: access logs are off in a protected environment`]);
        }
        return judge(a.release, conditions, `${at}: hardened ALB attributes`);
      }),
  },
];
void fail;
