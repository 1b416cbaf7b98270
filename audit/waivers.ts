/**
 * Recorded deviations from the security bar. A waiver names the rule, the
 * resources it covers (address globs, optionally limited to some
 * environments) and why the deviation is accepted. Waived findings are
 * printed with their reason; they never disappear from the report.
 *
 * A waiver that matches nothing in any audited environment is reported as
 * stale. Stale waivers do not fail the run, because several waivers here
 * cover resources that land with the network, cluster and add-on work and
 * would otherwise have to be deleted and re-added; `npm run audit -- --strict`
 * (and the test that audits every example environment with strict waivers
 * once those resources exist) turns them into failures.
 */
export interface Waiver {
  readonly rule: string;
  /** Address globs (`aws_subnet.network_public_*`); `*` matches any run of characters. */
  readonly resources: readonly string[];
  /** Only in these environments; by default in every one. `unprotected` = every environment without `protected: true`. */
  readonly environments?: readonly string[] | "unprotected";
  /** A substring of the finding message the waiver is limited to, when only one aspect is accepted. */
  readonly messageIncludes?: string;
  readonly reason: string;
  /** The scanner ids this corresponds to, for teams that run checkov/trivy too. */
  readonly suppresses?: readonly string[];
}

export const WAIVERS: readonly Waiver[] = [
  {
    rule: "NET-06",
    resources: ["aws_subnet.*public*"],
    reason:
      "Design: worker nodes live in public subnets so no NAT gateway is needed (install-guide cost choice). Compensated by NET-03: no internet ingress to node ports.",
    suppresses: ["CKV_AWS_130", "AVD-AWS-0164"],
  },
  {
    rule: "LIFE-03",
    resources: ["aws_eks_cluster.*"],
    reason:
      "aws_eks_cluster.deletion_protection needs AWS provider >= 6.28; this project is pinned to 5.100.0. prevent_destroy (LIFE-01) guards protected clusters meanwhile.",
  },
  {
    rule: "SEC-05",
    resources: ["aws_secretsmanager_secret.*"],
    messageIncludes: "rotation",
    reason: "The vendor API key cannot be rotated automatically; rotation is a manual runbook (CKV2_AWS_57).",
    suppresses: ["CKV2_AWS_57"],
  },
  {
    rule: "EKS-04",
    resources: ["aws_eks_cluster.*"],
    environments: "unprotected",
    messageIncludes: "log types",
    reason:
      "Cost: unprotected environments log api, audit and authenticator (the EKS module default); protected environments log all five. audit itself is never waived.",
    suppresses: ["CKV_AWS_37"],
  },
  {
    rule: "IAM-08",
    resources: ["aws_iam_policy.load_balancer_controller*"],
    reason:
      'The AWS Load Balancer Controller\'s upstream IAM policy (iam_policy.json of the pinned release) is used verbatim: its describe, security-group ingress, listener/rule and WAF/Shield statements use Resource "*"; mutating statements on load balancers and target groups are tag-scoped on elbv2.k8s.aws/cluster (security bar IAM-15).',
  },
  {
    rule: "IAM-15",
    resources: ["aws_iam_role.load_balancer_controller*"],
    reason:
      "Upstream load balancer controller policy: listener and rule deletion and shield:DeleteProtection are not tag-scoped upstream (the controller only deletes listeners of load balancers it tagged).",
  },
];
