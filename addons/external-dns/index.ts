import { TerraformOutput } from "cdktf";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { roleArn, roleName } from "../../config/naming";
import type { ClusterAddon } from "../addon";
import { ExternalDnsRole } from "./aws";
import { ExternalDns } from "./helm";
import { EXTERNAL_DNS_CATALOG } from "./catalog";

/**
 * external-dns for the gateway host in the managed public zone: its
 * zone-scoped IRSA role (AWS), then the release, which reads the zone by id
 * or name.
 */
export const EXTERNAL_DNS: ClusterAddon<ExternalDnsRole, ExternalDns> = {
  catalog: EXTERNAL_DNS_CATALOG,

  aws({ stack, env, cluster, publicZoneArn }) {
    if (!publicZoneArn) throw new Error(`${env.file}: external-dns needs the managed public zone (dns.managePublicDns)`);
    const role = new ExternalDnsRole(stack, "external-dns", {
      roleName: roleName(env, "external-dns"),
      oidcProvider: cluster.oidcProvider,
      zoneArn: publicZoneArn,
    });
    new TerraformOutput(stack, "external_dns_role_arn", { value: role.role.arn });
    return role;
  },

  helm({ stack, env, ready }) {
    const zone = new DataAwsRoute53Zone(stack, "gateway_zone", env.dns.zoneId ? { zoneId: env.dns.zoneId } : { name: env.dns.zoneName!, privateZone: false });
    return new ExternalDns(stack, "external-dns", {
      chartVersion: env.dns.externalDnsChartVersion,
      region: env.region,
      roleArn: roleArn(env, "external-dns"),
      zoneName: env.dns.zoneName!,
      zoneId: zone.zoneId,
      ownerId: env.clusterName,
      // The chart creates a Service: installed once the load balancer controller's Service webhook answers.
      dependsOn: ready.serviceWebhook ? [ready.serviceWebhook] : [],
    });
  },
};
