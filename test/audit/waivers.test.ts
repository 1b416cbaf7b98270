/** Waivers: recorded, shown with their reason, limited to what they name, and stale ones reported. */
import { RULES } from "../../audit/rules";
import { auditEnvironment, formatAudit, staleWaivers } from "../../audit/run";
import { WAIVERS, Waiver } from "../../audit/waivers";
import { FIXTURE_ENV, goodWorld } from "./fixture-world";

const NET06 = RULES.filter((r) => r.id === "NET-06");

function publicSubnetWorld() {
  const world = goodWorld();
  world.aws!.resource!.aws_subnet.network_public_a = { vpc_id: "${aws_vpc.network_vpc.id}", cidr_block: "10.42.0.0/20", map_public_ip_on_launch: true };
  return world;
}

test("every recorded waiver names a rule that exists and gives a reason", () => {
  const ids = new Set(RULES.map((r) => r.id));
  for (const w of WAIVERS) {
    expect({ rule: w.rule, known: ids.has(w.rule) }).toEqual({ rule: w.rule, known: true });
    expect(w.reason.length).toBeGreaterThan(30);
    expect(w.resources.length).toBeGreaterThan(0);
  }
});

test("a public worker subnet (NET-06) is waived with its recorded reason, and the report shows it", async () => {
  const audit = await auditEnvironment(FIXTURE_ENV, publicSubnetWorld(), { rules: NET06 });
  expect(audit.results[0].status).toBe("waived");
  expect(audit.results[0].waived.map((f) => f.address)).toEqual(["aws_subnet.network_public_a"]);
  expect(formatAudit(audit)).toMatch(/WAIVED NET-06[\s\S]*reason: Design: worker nodes live in public subnets/);
});

test("a waiver does not cover resources it does not name", async () => {
  const world = publicSubnetWorld();
  world.aws!.resource!.aws_subnet.network_private_a.map_public_ip_on_launch = true;
  const audit = await auditEnvironment(FIXTURE_ENV, world, { rules: NET06 });
  expect(audit.results[0].status).toBe("failed");
  expect(audit.results[0].failed.map((f) => f.address)).toEqual(["aws_subnet.network_private_a"]);
});

test("environment-limited waivers: EKS-04 log types are waived only in unprotected environments, and never the audit log", async () => {
  const rules = RULES.filter((r) => r.id === "EKS-04");
  const world = goodWorld();
  world.aws!.resource!.aws_eks_cluster.cluster.enabled_cluster_log_types = ["api", "audit", "authenticator"];
  expect((await auditEnvironment({ ...FIXTURE_ENV, protected: false }, world, { rules })).results[0].status).toBe("waived");
  expect((await auditEnvironment(FIXTURE_ENV, world, { rules })).results[0].status).toBe("failed");
  world.aws!.resource!.aws_eks_cluster.cluster.enabled_cluster_log_types = ["api"];
  expect((await auditEnvironment({ ...FIXTURE_ENV, protected: false }, world, { rules })).results[0].status).toBe("failed");
});

test("a waiver that matches nothing is reported as stale", async () => {
  const unused: Waiver = { rule: "NET-06", resources: ["aws_subnet.nothing_here"], reason: "a waiver for a subnet that no environment has any more" };
  const audit = await auditEnvironment(FIXTURE_ENV, publicSubnetWorld(), { rules: NET06, waivers: [...WAIVERS, unused] });
  expect(staleWaivers([audit], [...WAIVERS.filter((w) => w.rule === "NET-06"), unused])).toEqual([unused]);
});

test("a waiver limited to other environments is not stale where it cannot apply", async () => {
  const eks04 = WAIVERS.find((w) => w.rule === "EKS-04")!;
  expect(eks04.environments).toBe("unprotected");
  const protectedAudit = await auditEnvironment(FIXTURE_ENV, goodWorld(), { rules: RULES.filter((r) => r.id === "EKS-04") });
  expect(staleWaivers([protectedAudit], [eks04])).toEqual([]);
  const unprotectedAudit = await auditEnvironment({ ...FIXTURE_ENV, protected: false }, goodWorld(), { rules: RULES.filter((r) => r.id === "EKS-04") });
  expect(staleWaivers([unprotectedAudit], [eks04])).toEqual([eks04]);
});
