import { DEFAULT_SSL_POLICY, gatewayIngressValues } from "../../config/gateway-ingress";

const base = { scheme: "internet-facing" as const, host: "search.example.com", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" };

function attributes(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(annotations["alb.ingress.kubernetes.io/load-balancer-attributes"].split(",").map((kv) => kv.split("=") as [string, string]));
}

describe("gateway ingress annotations", () => {
  const { annotations, className, host } = gatewayIngressValues(base);

  test("served by the load balancer controller's alb class for the gateway host", () => {
    expect(className).toBe("alb");
    expect(host).toBe("search.example.com");
    expect(annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe("search.example.com");
  });

  test("HTTPS on 443 with the certificate; port 80 only redirects (EDGE-03)", () => {
    expect(JSON.parse(annotations["alb.ingress.kubernetes.io/listen-ports"])).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    expect(annotations["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
    expect(annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBe(base.certificateArn);
  });

  test("a TLS 1.3 security policy (EDGE-04)", () => {
    expect(annotations["alb.ingress.kubernetes.io/ssl-policy"]).toBe(DEFAULT_SSL_POLICY);
    expect(DEFAULT_SSL_POLICY.startsWith("ELBSecurityPolicy-TLS13-1-2")).toBe(true);
  });

  test("drops invalid headers and mitigates desync defensively (EDGE-05); deletion protection explicitly off", () => {
    // Explicitly false, so an ALB that was once protected can be deleted by the controller on teardown.
    expect(attributes(annotations)).toEqual({
      "routing.http.drop_invalid_header_fields.enabled": "true",
      "routing.http.desync_mitigation_mode": "defensive",
      "deletion_protection.enabled": "false",
    });
  });

  test("protected environments add deletion protection and access logs (EDGE-05)", () => {
    const prod = gatewayIngressValues({ ...base, deletionProtection: true, accessLogs: { bucket: "alb-logs", prefix: "alb/prod" } });
    expect(attributes(prod.annotations)).toMatchObject({
      "deletion_protection.enabled": "true",
      "access_logs.s3.enabled": "true",
      "access_logs.s3.bucket": "alb-logs",
      "access_logs.s3.prefix": "alb/prod",
    });
  });

  test("an optional WAF web ACL is attached only when given", () => {
    expect(annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"]).toBeUndefined();
    const waf = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/layer/1";
    expect(gatewayIngressValues({ ...base, wafAclArn: waf }).annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"]).toBe(waf);
  });
});
