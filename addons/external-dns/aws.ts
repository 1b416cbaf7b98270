import { Construct } from "constructs";
import { IrsaRole, OidcProvider } from "../../constructs/irsa-role";
import { PolicyDocument, policyDocument } from "../../constructs/iam-document";
import { EXTERNAL_DNS_SERVICE_ACCOUNT } from "./catalog";

export interface ExternalDnsRoleProps {
  readonly roleName: string;
  readonly oidcProvider: OidcProvider;
  /** The one hosted zone external-dns may change. */
  readonly zoneArn: string;
}

/**
 * external-dns may change records in exactly one zone. Upstream grants
 * `hostedzone/*`; here every zone-scoped action names the zone ARN and only
 * ListHostedZones, which has no resource type, uses "*".
 * https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 */
export function externalDnsPolicy(zoneArn: string): PolicyDocument {
  return policyDocument(
    {
      Sid: "ChangeRecordsInTheGatewayZoneOnly",
      Effect: "Allow",
      Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResource"],
      Resource: zoneArn,
    },
    {
      Sid: "FindTheZone",
      Effect: "Allow",
      Action: "route53:ListHostedZones",
      Resource: "*",
    },
  );
}

/** IRSA role for external-dns, trusted by its service account only. */
export class ExternalDnsRole extends Construct {
  readonly role: IrsaRole;

  constructor(scope: Construct, id: string, props: ExternalDnsRoleProps) {
    super(scope, id);
    this.role = new IrsaRole(this, "default", {
      roleName: props.roleName,
      description: "external-dns: gateway host records in the environment's public zone",
      oidcProvider: props.oidcProvider,
      serviceAccounts: [EXTERNAL_DNS_SERVICE_ACCOUNT],
      policies: { route53: externalDnsPolicy(props.zoneArn) },
    });
  }
}
