import { externalDnsPolicy } from "../../addons/external-dns/aws";

describe("external-dns IAM policy", () => {
  const zoneArn = "arn:aws:route53:::hostedzone/Z0123456789ABC";
  const statements = externalDnsPolicy(zoneArn).Statement;

  test("route53:ChangeResourceRecordSets is allowed on exactly the managed zone", () => {
    const change = statements.filter((s) => [s.Action].flat().includes("route53:ChangeResourceRecordSets"));
    expect(change).toHaveLength(1);
    expect(change[0].Resource).toBe(zoneArn);
  });

  test("only ListHostedZones, which has no resource type, uses a wildcard resource", () => {
    for (const s of statements) {
      if (s.Resource === "*") expect(s.Action).toBe("route53:ListHostedZones");
    }
    expect(JSON.stringify(statements)).not.toContain("hostedzone/*");
  });
});
