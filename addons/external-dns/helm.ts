import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import type { PodPlacement } from "../../config/node-roles";
import { HelmAddonRelease, chartPlacement } from "../helm-addon";
import { EXTERNAL_DNS_CHART, EXTERNAL_DNS_SERVICE_ACCOUNT } from "./catalog";

export interface ExternalDnsProps {
  /** Exact chart version. */
  readonly chartVersion: string;
  readonly region: string;
  readonly roleArn: string;
  readonly zoneName: string;
  /** Zone id; may be a reference resolved at apply time. */
  readonly zoneId: string;
  /** Marks records as this cluster's, so two clusters never fight over a name. */
  readonly ownerId: string;
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * external-dns writes the gateway host's record as soon as the load balancer
 * controller has created the ALB for the release's Ingress: the first deploy
 * converges without a second apply. `upsert-only` never deletes records it
 * did not create.
 */
export class ExternalDns extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    this.release = new HelmAddonRelease(this, "default", {
      chart: EXTERNAL_DNS_CHART,
      version: props.chartVersion,
      values: (placement) => externalDnsValues(props, placement),
      valuesLayout: "sorted",
      dependsOn: props.dependsOn,
    });
  }
}

export function externalDnsValues(props: ExternalDnsProps, placement: PodPlacement = chartPlacement(EXTERNAL_DNS_CHART)!): Record<string, unknown> {
  return {
    provider: { name: "aws" },
    env: [{ name: "AWS_DEFAULT_REGION", value: props.region }],
    sources: ["ingress"],
    policy: "upsert-only",
    registry: "txt",
    txtOwnerId: props.ownerId,
    domainFilters: [props.zoneName],
    extraArgs: [`--zone-id-filter=${props.zoneId}`, "--aws-zone-type=public"],
    serviceAccount: {
      create: true,
      name: EXTERNAL_DNS_SERVICE_ACCOUNT.name,
      annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
    },
    ...placement,
  };
}
