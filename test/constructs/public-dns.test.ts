import { parse } from "yaml";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { block, onlyResource, resourcesOfType } from "../helpers/terraform-json";
import { roleName } from "../../config/naming";
import { errorOf } from "../helpers/config-error";

const prod = synthExample("prod");
const aws = prod.aws!;

describe("public DNS and TLS (dns.managePublicDns)", () => {
  test("off by default: dev has no zone, certificate or external-dns", () => {
    const dev = synthExample("dev");
    for (const type of ["aws_route53_zone", "aws_acm_certificate", "aws_route53_record"]) expect(resourcesOfType(dev.aws, type)).toEqual({});
    expect(dev.helm.resource?.helm_release?.external_dns).toBeUndefined();
  });

  test("a public zone is created for the configured name, protected in prod", () => {
    const zone = onlyResource(aws, "aws_route53_zone");
    expect(zone.name).toBe("layer.example.com");
    expect(zone.vpc).toBeUndefined();
    expect(zone.force_destroy).toBe(false);
    expect(zone.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("the certificate is DNS-validated, logged to CT and replaced before it is destroyed (EDGE-01, EDGE-02)", () => {
    const cert = onlyResource(aws, "aws_acm_certificate");
    expect(cert.domain_name).toBe("search.layer.example.com");
    expect(cert.domain_name).not.toContain("*");
    expect(cert.validation_method).toBe("DNS");
    expect(block<any>(cert.options).certificate_transparency_logging_preference).toBe("ENABLED");
    expect(cert.lifecycle.create_before_destroy).toBe(true);
  });

  test("one validation record per name the certificate asks for, in the zone, waited on before the ARN is used", () => {
    const record = onlyResource(aws, "aws_route53_record");
    expect(record.for_each).toContain("aws_acm_certificate.public_dns_certificate.domain_validation_options");
    expect(record.for_each).toContain("val.domain_name => val");
    expect(record.zone_id).toBe("${aws_route53_zone.public_dns_zone.zone_id}");
    expect(record.records).toEqual(["${each.value.resource_record_value}"]);
    const validation = onlyResource(aws, "aws_acm_certificate_validation");
    expect(validation.certificate_arn).toBe("${aws_acm_certificate.public_dns_certificate.arn}");
    expect(validation.validation_record_fqdns).toContain("aws_route53_record.public_dns_validation");
    expect(aws.output!.gateway_certificate_arn.value).toBe("${aws_acm_certificate_validation.public_dns_certificate_validation.certificate_arn}");
  });

  test("external-dns may change records only in this zone, and only its service account may assume the role", () => {
    const role = resourcesOfType(aws, "aws_iam_role").external_dns;
    expect(role.name).toBe(roleName(prod.env, "external-dns"));
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(Object.entries(trust.Condition.StringEquals).find(([k]) => k.endsWith(":sub"))![1]).toBe("system:serviceaccount:external-dns:external-dns");
    const policy = JSON.parse(resourcesOfType(aws, "aws_iam_policy").external_dns_route53.policy);
    const change = policy.Statement.find((s: any) => [s.Action].flat().includes("route53:ChangeResourceRecordSets"));
    expect(change.Resource).toBe("arn:aws:route53:::hostedzone/${aws_route53_zone.public_dns_zone.zone_id}");
    for (const s of policy.Statement) if (s.Resource === "*") expect(s.Action).toBe("route53:ListHostedZones");
  });

  test("adopting a zone by id creates no zone and scopes external-dns to that id", () => {
    const env = environmentFromYaml(
      `${MINIMAL_ENVIRONMENT}dns:\n  managePublicDns: true\n  zoneName: example.com\n  zoneId: Z0123456789ABCDEFGHIJ\n  gatewayHost: layer.example.com\n  extraNames: [api.example.com]\n`,
      "dns",
    );
    const s = synthEnvironment(env);
    expect(resourcesOfType(s.aws, "aws_route53_zone")).toEqual({});
    expect(onlyResource(s.aws, "aws_route53_record").zone_id).toBe("Z0123456789ABCDEFGHIJ");
    expect(onlyResource(s.aws, "aws_acm_certificate").subject_alternative_names).toEqual(["api.example.com"]);
    const policy = JSON.parse(resourcesOfType(s.aws, "aws_iam_policy").external_dns_route53.policy);
    expect(policy.Statement[0].Resource).toBe("arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ");
    expect(block<any>(s.helm.data!.aws_route53_zone.gateway_zone).zone_id).toBe("Z0123456789ABCDEFGHIJ");
  });
});

describe("external-dns in the Helm stack", () => {
  const release = prod.helm.resource!.helm_release.external_dns;
  const values = parse(release.values[0]);

  test("pinned chart, its own namespace, on the system nodes", () => {
    expect(release.version).toBe(prod.env.dns.externalDnsChartVersion);
    expect(release.namespace).toBe("external-dns");
    expect(values.nodeSelector).toEqual({ "layer.hev.dev/node-role": "system" });
  });

  test("uses the zone-scoped role and only touches the managed zone, never deleting records it did not create", () => {
    expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(`arn:aws:iam::210987654321:role/${roleName(prod.env, "external-dns")}`);
    expect(values.domainFilters).toEqual(["layer.example.com"]);
    expect(values.extraArgs).toContain("--zone-id-filter=${data.aws_route53_zone.gateway_zone.zone_id}");
    expect(values.policy).toBe("upsert-only");
    expect(values.txtOwnerId).toBe(prod.env.clusterName);
  });

  test("the release's ingress is for the certificate's host, and waits until the AWS stack has it ISSUED", () => {
    const cert = prod.helm.data!.aws_acm_certificate.gateway_certificate;
    expect(cert).toMatchObject({ domain: "search.layer.example.com", statuses: ["ISSUED"], most_recent: true });
    const release = prod.helm.resource!.helm_release.layer_release;
    // The chart's Ingress names no certificate: the load balancer controller finds it by this host.
    expect(parse(release.values[0]).ingress).toMatchObject({ enabled: true, host: cert.domain });
    expect(release.depends_on).toContain("data.aws_acm_certificate.gateway_certificate");
  });
});

describe("a zone created here is deployed in two steps: the zone, then (once delegated) the certificate", () => {
  const zoneYaml = (delegated: boolean) =>
    `${MINIMAL_ENVIRONMENT}dns:\n  managePublicDns: true\n  zoneName: example.com\n  gatewayHost: layer.example.com\n${delegated ? "  zoneDelegated: true\n" : ""}`;
  const first = synthEnvironment(environmentFromYaml(zoneYaml(false), "newzone"));
  const second = synthEnvironment(environmentFromYaml(zoneYaml(true), "newzone"));

  test("first deploy: the zone and its name servers only; no certificate whose validation would wait on a delegation that does not exist", () => {
    expect(onlyResource(first.aws, "aws_route53_zone").name).toBe("example.com");
    expect(first.aws!.output!.gateway_zone_name_servers.value).toBe("${aws_route53_zone.public_dns_zone.name_servers}");
    for (const type of ["aws_acm_certificate", "aws_acm_certificate_validation", "aws_route53_record"]) expect(resourcesOfType(first.aws, type)).toEqual({});
    expect(first.aws!.output!.gateway_certificate_arn).toBeUndefined();
    // Nothing in the Helm stack reads a certificate that is not there, and no public ingress is made.
    expect(first.helm.data?.aws_acm_certificate).toBeUndefined();
    expect(first.helm.resource!.helm_release.external_dns).toBeUndefined();
    expect(parse(first.helm.resource!.helm_release.layer_release.values[0]).ingress?.enabled ?? false).toBe(false);
  });

  test("second deploy (dns.zoneDelegated: true): the same zone address, the validated certificate, external-dns and the ingress", () => {
    expect(Object.keys(resourcesOfType(second.aws, "aws_route53_zone"))).toEqual(Object.keys(resourcesOfType(first.aws, "aws_route53_zone")));
    expect(onlyResource(second.aws, "aws_acm_certificate_validation")).toBeDefined();
    expect(second.helm.data!.aws_acm_certificate.gateway_certificate).toBeDefined();
    expect(second.helm.resource!.helm_release.external_dns).toBeDefined();
    expect(parse(second.helm.resource!.helm_release.layer_release.values[0]).ingress.enabled).toBe(true);
  });

  test("a zone adopted by id is delegated already: one deploy issues the certificate", () => {
    const adopted = synthEnvironment(
      environmentFromYaml(
        `${MINIMAL_ENVIRONMENT}dns:\n  managePublicDns: true\n  zoneName: example.com\n  zoneId: Z0123456789ABCDEFGHIJ\n  gatewayHost: layer.example.com\n`,
        "adopted",
      ),
    );
    expect(onlyResource(adopted.aws, "aws_acm_certificate_validation")).toBeDefined();
  });

  test("asking for a public ingress before the zone is delegated is refused, saying what to do", () => {
    const e = errorOf(() => environmentFromYaml(`${zoneYaml(false)}ingress:\n  scheme: internet-facing\n`, "newzone"));
    expect(e.message).toContain('environments/newzone.yaml: ingress.scheme: found "internet-facing"; expected none until the zone created here is delegated');
    expect(e.message).toContain("set dns.zoneDelegated: true");
  });

  test("dns.zoneDelegated with an adopted zone, or without managed DNS, is refused", () => {
    const adopted = `${MINIMAL_ENVIRONMENT}dns:\n  managePublicDns: true\n  zoneName: example.com\n  zoneId: Z0123456789ABCDEFGHIJ\n  zoneDelegated: true\n  gatewayHost: layer.example.com\n`;
    expect(errorOf(() => environmentFromYaml(adopted, "x")).message).toContain(
      "dns.zoneDelegated: found true; expected nothing: a zone adopted with dns.zoneId",
    );
    expect(errorOf(() => environmentFromYaml(`${MINIMAL_ENVIRONMENT}dns:\n  zoneDelegated: true\n`, "x")).message).toContain(
      "dns.zoneDelegated: found true; expected no zone, or dns.managePublicDns: true",
    );
  });
});
