import { Construct } from "constructs";
import { TerraformIterator, Token } from "cdktf";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { protectFromDestroy } from "./lifecycle";

export interface PublicDnsProps {
  /** Zone name, e.g. `example.com`. Required unless `zoneId` adopts an existing zone. */
  readonly zoneName: string;
  /** Adopt this existing public hosted zone instead of creating one. @default create a zone */
  readonly zoneId?: string;
  /** The gateway's host name; the certificate's primary name. */
  readonly gatewayHost: string;
  /** Extra names on the certificate (subject alternative names). @default [] */
  readonly extraNames?: string[];
  readonly partition: string;
  /** Adds `prevent_destroy` to a zone created here. @default false */
  readonly protected?: boolean;
  /**
   * Issue and DNS-validate the gateway's certificate. Off for the first
   * deploy of a zone created here: ACM validates only once the parent zone
   * delegates to it, so the zone is created alone first. @default true
   */
  readonly issueCertificate?: boolean;
}

/**
 * Opt-in public DNS and TLS (install guide: `manage_public_dns`, off by
 * default): a Route53 public zone, created here or adopted by id, and an ACM
 * certificate for the gateway host validated through DNS (EDGE-01, EDGE-02).
 * Records for the gateway itself are written by external-dns once the load
 * balancer exists. A zone created here is deployed alone first
 * (`issueCertificate: false`) and delegated before the certificate is asked
 * for (docs/edge.md, "Two deploys for a new zone").
 */
export class PublicDns extends Construct {
  readonly zoneId: string;
  /** `arn:<partition>:route53:::hostedzone/<id>`: the only zone external-dns may change. */
  readonly zoneArn: string;
  /** The name servers of a zone created here, to delegate to from the parent zone. */
  readonly nameServers?: string[];
  readonly certificate?: AcmCertificate;
  /** Completes only once ACM has issued the certificate; its ARN is what the ingress uses. */
  readonly validatedCertificateArn?: string;

  constructor(scope: Construct, id: string, props: PublicDnsProps) {
    super(scope, id);
    if (props.zoneId) {
      this.zoneId = props.zoneId;
    } else {
      const zone = new Route53Zone(this, "zone", {
        name: props.zoneName,
        comment: `Public zone for ${props.gatewayHost}`,
        forceDestroy: false,
      });
      protectFromDestroy(zone, props.protected ?? false);
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
    }
    this.zoneArn = `arn:${props.partition}:route53:::hostedzone/${this.zoneId}`;
    if (props.issueCertificate === false) return;

    this.certificate = new AcmCertificate(this, "certificate", {
      domainName: props.gatewayHost,
      subjectAlternativeNames: props.extraNames && props.extraNames.length > 0 ? props.extraNames : undefined,
      validationMethod: "DNS",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      // A renamed certificate is issued before the old one is released by the ALB.
      lifecycle: { createBeforeDestroy: true },
    });

    // One validation record per distinct name, keyed by the domain name so
    // adding a name never renumbers the others.
    const options = TerraformIterator.fromComplexList(this.certificate.domainValidationOptions, "domain_name");
    const validationRecords = new Route53Record(this, "validation", {
      forEach: options,
      zoneId: this.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });

    const validation = new AcmCertificateValidation(this, "certificate_validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(validationRecords).pluckProperty("fqdn")),
    });
    this.validatedCertificateArn = validation.certificateArn;
  }
}
