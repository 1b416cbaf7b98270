/** NET-01..08: the VPC, its default security group, flow logs, security group rules and subnets. */
import { asList, blocks, isTrue, refersTo } from "../terraform";
import { judge } from "../findings";
import type { AuditContext, ResourceRef, Rule } from "../types";

const OPEN = ["0.0.0.0/0", "::/0"];
const RISKY_PORTS = [22, 3389, 80];

interface IngressLike {
  from: number;
  to: number;
  protocol: string;
  cidrs: string[];
  description?: string;
}

/** Ingress rules from inline blocks, aws_security_group_rule and aws_vpc_security_group_ingress_rule. */
function ingressRules(ctx: AuditContext): Array<{ resource: ResourceRef; rule: IngressLike }> {
  const out: Array<{ resource: ResourceRef; rule: IngressLike }> = [];
  for (const sg of ctx.resources("aws_security_group")) {
    for (const i of blocks(sg.body.ingress)) {
      out.push({
        resource: sg,
        rule: {
          from: Number(i.from_port),
          to: Number(i.to_port),
          protocol: String(i.protocol),
          cidrs: [...asList<string>(i.cidr_blocks), ...asList<string>(i.ipv6_cidr_blocks)],
          description: i.description,
        },
      });
    }
  }
  for (const r of ctx.resources("aws_security_group_rule").filter((x) => x.body.type === "ingress")) {
    out.push({
      resource: r,
      rule: {
        from: Number(r.body.from_port),
        to: Number(r.body.to_port),
        protocol: String(r.body.protocol),
        cidrs: [...asList<string>(r.body.cidr_blocks), ...asList<string>(r.body.ipv6_cidr_blocks)],
        description: r.body.description,
      },
    });
  }
  for (const r of ctx.resources("aws_vpc_security_group_ingress_rule")) {
    out.push({
      resource: r,
      rule: {
        from: Number(r.body.from_port ?? 0),
        to: Number(r.body.to_port ?? 65535),
        protocol: String(r.body.ip_protocol),
        cidrs: [r.body.cidr_ipv4, r.body.cidr_ipv6].filter(Boolean),
        description: r.body.description,
      },
    });
  }
  return out;
}

const allPorts = (r: IngressLike) => r.protocol === "-1" || r.protocol === "all" || (r.from <= 0 && r.to >= 65535);

export const NETWORK_RULES: Rule[] = [
  {
    id: "NET-01",
    title: "Flow logs capture all traffic to an encrypted, expiring destination",
    resourceTypes: ["aws_flow_log"],
    checks: 'vpc_id references the VPC; traffic_type "ALL"; the destination is a log group with retention and KMS, or S3',
    why: "flow logs are the network evidence after an incident (opt-in: they cost per GB)",
    scanners: ["CKV2_AWS_11", "AVD-AWS-0178"],
    check: (ctx) =>
      ctx.resources("aws_flow_log").flatMap((r) => {
        const group =
          ctx.resolve(r.body.log_destination) ?? ctx.resources("aws_cloudwatch_log_group").find((g) => String(r.body.log_group_name ?? "").includes(g.name));
        const s3 = r.body.log_destination_type === "s3";
        return judge(
          r,
          [
            [refersTo(r.body.vpc_id, "aws_vpc"), "vpc_id does not reference the VPC"],
            [r.body.traffic_type === "ALL", `traffic_type is ${JSON.stringify(r.body.traffic_type)}; expected "ALL"`],
            [
              s3 || (group !== undefined && group.body.retention_in_days !== undefined && group.body.kms_key_id !== undefined),
              "the destination is not a log group with retention and KMS (or S3)",
            ],
          ],
          "ALL traffic to an encrypted destination",
        );
      }),
  },
  {
    id: "NET-02",
    title: "Default security group closed",
    resourceTypes: ["aws_vpc", "aws_default_security_group"],
    checks: "each VPC has an aws_default_security_group with no ingress and no egress",
    why: "anything launched without a security group gets no network access",
    scanners: ["CKV2_AWS_12", "AVD-AWS-0173"],
    check: (ctx) =>
      ctx.resources("aws_vpc").flatMap((vpc) => {
        const dsg = ctx.resources("aws_default_security_group").find((d) => refersTo(d.body.vpc_id, "aws_vpc", vpc.name));
        return judge(
          vpc,
          [
            [dsg !== undefined, "no aws_default_security_group for this VPC"],
            [!dsg || (blocks(dsg.body.ingress).length === 0 && blocks(dsg.body.egress).length === 0), `${dsg?.address} has rules`],
          ],
          "default security group without rules",
        );
      }),
  },
  {
    id: "NET-03",
    title: "No internet ingress to SSH, RDP, HTTP or all ports; EFS only on 2049",
    resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"],
    checks: "no 0.0.0.0/0 or ::/0 ingress to 22, 3389, 80 or all ports; security groups named for EFS allow only tcp/2049 from security groups",
    why: "public worker subnets are compensated by strict ingress",
    scanners: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107"],
    check: (ctx) => {
      const findings = ingressRules(ctx).flatMap(({ resource, rule }) => {
        const open = rule.cidrs.some((c) => OPEN.includes(c));
        const risky = allPorts(rule) || RISKY_PORTS.some((p) => rule.from <= p && p <= rule.to);
        const sgAddress = resource.type === "aws_security_group" ? resource : ctx.resolve(resource.body.security_group_id);
        const efs = /efs/i.test(`${sgAddress?.name ?? ""} ${sgAddress?.body?.name ?? ""}`);
        return judge(
          resource,
          [
            [!(open && risky), `ingress from ${rule.cidrs.join(", ")} to ports ${rule.from}-${rule.to}/${rule.protocol}`],
            [
              !efs || ((rule.protocol === "tcp" || rule.protocol === "6") && rule.from === 2049 && rule.to === 2049 && rule.cidrs.length === 0),
              `EFS security group ingress ${rule.from}-${rule.to}/${rule.protocol} from ${rule.cidrs.join(", ") || "a security group"}; expected tcp/2049 from the node security group only`,
            ],
          ],
          "scoped ingress",
        );
      });
      return findings;
    },
  },
  {
    id: "NET-04",
    title: "Security groups and rules are described",
    resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"],
    checks: "description is non-empty on every group and rule",
    why: "a reviewer must know why each opening exists",
    scanners: ["CKV_AWS_23", "AVD-AWS-0099", "AVD-AWS-0124"],
    check: (ctx) =>
      ctx
        .resources("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")
        .flatMap((r) => {
          const inline = r.type === "aws_security_group" ? [...blocks(r.body.ingress), ...blocks(r.body.egress)] : [];
          return judge(
            r,
            [
              [typeof r.body.description === "string" && r.body.description.trim() !== "", "no description"],
              [inline.every((i) => typeof i.description === "string" && i.description.trim() !== ""), "an inline rule has no description"],
            ],
            "described",
          );
        }),
  },
  {
    id: "NET-05",
    title: "Open egress only on node security groups",
    resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_egress_rule"],
    checks:
      "no egress to 0.0.0.0/0 or ::/0 in any security group these stacks write (node egress is the EKS-managed cluster security group's, outside the stacks)",
    why: "scoped egress limits exfiltration",
    scanners: ["CKV_AWS_382", "AVD-AWS-0104"],
    check: (ctx) => [
      ...ctx
        .resources("aws_security_group")
        .flatMap((r) =>
          judge(
            r,
            [
              [
                !blocks(r.body.egress).some((e) => [...asList<string>(e.cidr_blocks), ...asList<string>(e.ipv6_cidr_blocks)].some((c) => OPEN.includes(c))),
                "egress to the whole internet",
              ],
            ],
            "scoped egress",
          ),
        ),
      ...ctx
        .resources("aws_security_group_rule")
        .filter((r) => r.body.type === "egress")
        .flatMap((r) =>
          judge(
            r,
            [
              [
                ![...asList<string>(r.body.cidr_blocks), ...asList<string>(r.body.ipv6_cidr_blocks)].some((c) => OPEN.includes(c)),
                "egress to the whole internet",
              ],
            ],
            "scoped egress",
          ),
        ),
      ...ctx
        .resources("aws_vpc_security_group_egress_rule")
        .flatMap((r) => judge(r, [[!OPEN.includes(r.body.cidr_ipv4) && !OPEN.includes(r.body.cidr_ipv6), "egress to the whole internet"]], "scoped egress")),
    ],
  },
  {
    id: "NET-06",
    title: "No public IPs on launch",
    resourceTypes: ["aws_subnet"],
    checks: "map_public_ip_on_launch is not true (public worker subnets carry a recorded waiver)",
    why: "instances with public IPs are reachable from the internet unless security groups stop it",
    scanners: ["CKV_AWS_130", "AVD-AWS-0164"],
    check: (ctx) =>
      ctx
        .resources("aws_subnet")
        .flatMap((r) => judge(r, [[!isTrue(r.body.map_public_ip_on_launch), "map_public_ip_on_launch is true"]], "no public IP on launch")),
  },
  {
    id: "NET-07",
    title: "VPC DNS support and hostnames",
    resourceTypes: ["aws_vpc"],
    checks: "enable_dns_support and enable_dns_hostnames are true",
    why: "nodes must resolve the private API endpoint",
    scanners: [],
    check: (ctx) =>
      ctx.resources("aws_vpc").flatMap((r) =>
        judge(
          r,
          [
            [r.body.enable_dns_support === undefined || isTrue(r.body.enable_dns_support), "enable_dns_support is false"],
            [isTrue(r.body.enable_dns_hostnames), "enable_dns_hostnames is not true"],
          ],
          "DNS on",
        ),
      ),
  },
  {
    id: "NET-08",
    title: "Default VPC not managed",
    resourceTypes: ["aws_default_vpc"],
    checks: "no aws_default_vpc resource",
    why: "the default VPC has public subnets and open defaults",
    scanners: ["CKV_AWS_148", "AVD-AWS-0101"],
    check: (ctx) => {
      const declared = ctx.resources("aws_default_vpc");
      if (declared.length > 0) return declared.flatMap((r) => judge(r, [[false, "aws_default_vpc is declared (it adopts the account's default VPC)"]], ""));
      return ctx.stacks.aws?.resource ? [{ address: "aws_default_vpc", stack: "aws" as const, ok: true, message: "not declared" }] : [];
    },
  },
];
