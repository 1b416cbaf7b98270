/**
 * Ingress values for the gateway: the ALB is created by the AWS Load
 * Balancer Controller from these annotations, so scanners never see it; the
 * project's own audit checks them (security bar EDGE-03..05).
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface GatewayIngressProps {
  readonly scheme: "internal" | "internet-facing";
  readonly host: string;
  /** ACM certificate ARN; may be a reference resolved at apply time. */
  readonly certificateArn: string;
  /** @default DEFAULT_SSL_POLICY */
  readonly sslPolicy?: string;
  /** Protected environments keep the ALB from being deleted by accident; otherwise it is explicitly off. @default false */
  readonly deletionProtection?: boolean;
  /** Access logs to `s3://<bucket>/<prefix>`. @default off */
  readonly accessLogs?: { readonly bucket: string; readonly prefix: string };
  /** AWS WAFv2 web ACL to associate. @default none */
  readonly wafAclArn?: string;
}

export interface GatewayIngressValues {
  readonly enabled: true;
  readonly className: "alb";
  readonly host: string;
  readonly annotations: Record<string, string>;
}

export function gatewayIngressValues(props: GatewayIngressProps): GatewayIngressValues {
  const attributes = [
    "routing.http.drop_invalid_header_fields.enabled=true",
    "routing.http.desync_mitigation_mode=defensive",
    // Always explicit: the controller leaves attributes it is not given as they are, so an ALB
    // created while the environment was protected would otherwise keep refusing deletion.
    `deletion_protection.enabled=${props.deletionProtection === true}`,
    ...(props.accessLogs
      ? ["access_logs.s3.enabled=true", `access_logs.s3.bucket=${props.accessLogs.bucket}`, `access_logs.s3.prefix=${props.accessLogs.prefix}`]
      : []),
  ];
  return {
    enabled: true,
    className: "alb",
    host: props.host,
    annotations: {
      "alb.ingress.kubernetes.io/scheme": props.scheme,
      "alb.ingress.kubernetes.io/target-type": "ip",
      // Port 80 exists only to redirect to 443.
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/certificate-arn": props.certificateArn,
      "alb.ingress.kubernetes.io/ssl-policy": props.sslPolicy ?? DEFAULT_SSL_POLICY,
      "alb.ingress.kubernetes.io/load-balancer-attributes": attributes.join(","),
      ...(props.wafAclArn ? { "alb.ingress.kubernetes.io/wafv2-acl-arn": props.wafAclArn } : {}),
      "external-dns.alpha.kubernetes.io/hostname": props.host,
    },
  };
}

/** Settings of the `alb` IngressClass's IngressClassParams (load balancer controller CRD; they apply to every Ingress of the class). */
export interface AlbClassSettings {
  readonly sslPolicy: string;
  readonly loadBalancerAttributes: ReadonlyArray<{ readonly key: string; readonly value: string }>;
  readonly wafv2AclArn?: string;
}

/**
 * The ALB settings the product chart's Ingress cannot carry (it renders fixed
 * annotations only): TLS policy, load-balancer attributes and WAF, set on the
 * class instead. https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/
 */
export function albClassSettings(props: Omit<GatewayIngressProps, "scheme" | "host" | "certificateArn">): AlbClassSettings {
  const annotations = gatewayIngressValues({ ...props, scheme: "internet-facing", host: "unused", certificateArn: "unused" }).annotations;
  const attributes = annotations["alb.ingress.kubernetes.io/load-balancer-attributes"].split(",").map((pair) => {
    const [key, ...rest] = pair.split("=");
    return { key, value: rest.join("=") };
  });
  return { sslPolicy: props.sslPolicy ?? DEFAULT_SSL_POLICY, loadBalancerAttributes: attributes, ...(props.wafAclArn ? { wafv2AclArn: props.wafAclArn } : {}) };
}
