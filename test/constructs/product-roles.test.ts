import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { asList, parsePolicy, resourcesOfType } from "../helpers/terraform-json";
import { irsaTrustProblems, wildcardProblems } from "../helpers/iam";
import { roleName } from "../../stacks/naming";
import { DATA_PREFIXES, PIPELINE_PREFIX } from "../../constructs/data-bucket";
import { policyDocument, renderPolicy } from "../../constructs/iam-document";

const dev = synthExample("dev").aws!;
const FRESH_PROVIDER = "${aws_iam_openid_connect_provider.eks_cluster_oidc_provider.arn}";
const FRESH_ISSUER = "${local.eks_cluster_oidc_issuer_host}";
const BUCKET = "${aws_s3_bucket.data_bucket.arn}";
const BUCKET_KEY = "${aws_kms_key.data_bucket_key.arn}";

const roles = (stack = dev) => resourcesOfType(stack, "aws_iam_role");
const policyOf = (name: string, stack = dev) => resourcesOfType(stack, "aws_iam_policy")[name].policy as string;

describe("product IRSA roles", () => {
  test.each([
    ["product_roles_gateway", [{ namespace: "layer", name: "layer-gateway" }]],
    ["product_roles_dashboard", [{ namespace: "layer", name: "layer-dashboard" }]],
    ["product_roles_operator", [{ namespace: "layer", name: "layer-operator" }, { namespace: "layer", name: "layer-worker" }]],
    ["eks_cluster_vpc_cni_role", [{ namespace: "kube-system", name: "aws-node" }]],
  ])("%s trusts exactly its service accounts on this cluster's OIDC provider (IAM-02, IAM-03, IAM-04)", (role, serviceAccounts) => {
    expect(irsaTrustProblems(roles()[role].assume_role_policy, FRESH_PROVIDER, FRESH_ISSUER, serviceAccounts)).toEqual([]);
  });

  describe("the trust checker rejects a planted bad trust policy", () => {
    const sa = [{ namespace: "layer", name: "layer-gateway" }];
    const trust = (condition: object) =>
      renderPolicy(
        policyDocument({
          Effect: "Allow",
          Principal: { Federated: "arn:oidc" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: condition as any,
        }),
      );
    const good = { StringEquals: { "issuer:sub": "system:serviceaccount:layer:layer-gateway", "issuer:aud": "sts.amazonaws.com" } };
    test.each([
      ["sub missing", { StringEquals: { "issuer:aud": "sts.amazonaws.com" } }, /no StringEquals issuer:sub/],
      ["aud missing", { StringEquals: { "issuer:sub": "system:serviceaccount:layer:layer-gateway" } }, /no StringEquals issuer:aud/],
      ["StringLike on sub", { StringEquals: { "issuer:aud": "sts.amazonaws.com" }, StringLike: { "issuer:sub": "system:serviceaccount:layer:layer-gateway" } }, /operator StringLike/],
      ["a wildcard service account", { StringEquals: { "issuer:sub": "system:serviceaccount:layer:*", "issuer:aud": "sts.amazonaws.com" } }, /wildcard/],
      ["a wildcard audience", { StringEquals: { "issuer:sub": "system:serviceaccount:layer:layer-gateway", "issuer:aud": "*" } }, /aud is "\*"/],
      ["an extra service account", { StringEquals: { "issuer:sub": ["system:serviceaccount:layer:layer-gateway", "system:serviceaccount:default:default"], "issuer:aud": "sts.amazonaws.com" } }, /expected exactly/],
    ])("%s", (_label, condition, problem) => {
      expect(irsaTrustProblems(trust(good), "arn:oidc", "issuer", sa)).toEqual([]);
      expect(irsaTrustProblems(trust(condition), "arn:oidc", "issuer", sa).join("\n")).toMatch(problem);
    });
  });

  test.each(["dev", "prod", "existing"])("%s: role names are roleName(env, ...), from which the Helm stack rebuilds their ARNs", (name) => {
    const { env, aws } = synthExample(name);
    for (const purpose of ["gateway", "dashboard", "operator"] as const) {
      expect(roles(aws!)[`product_roles_${purpose}`].name).toBe(roleName(env, purpose));
    }
  });

  test("no role trusts everyone or a whole account; no inline or admin policies; no wildcard actions, \"*\" resources only for unscopable actions (IAM-05, IAM-06, IAM-07, IAM-08, IAM-11)", () => {
    for (const stack of [dev, synthExample("prod").aws!, synthExample("existing").aws!]) {
      for (const role of Object.values<any>(roles(stack))) {
        expect(role.inline_policy).toBeUndefined();
        for (const s of parsePolicy(role.assume_role_policy).Statement.filter((x: any) => x.Effect === "Allow")) {
          const aws = asList<string>(s.Principal?.AWS);
          expect(aws.filter((p) => p === "*" || /^\d{12}$/.test(p) || /:root$/.test(p))).toEqual([]);
          expect(s.Principal).not.toBe("*");
        }
      }
      for (const attachment of Object.values<any>(resourcesOfType(stack, "aws_iam_role_policy_attachment"))) {
        expect(attachment.policy_arn).not.toMatch(/AdministratorAccess|IAMFullAccess/);
      }
      // Cluster add-on policies mirror their upstream documents and are checked with their constructs (IAM-15).
      const ADDON_POLICY = /^(karpenter|load_balancer_controller|efs)_/;
      const policies = [...Object.entries<any>(resourcesOfType(stack, "aws_iam_policy")), ...Object.entries<any>(resourcesOfType(stack, "aws_iam_role_policy"))]
        .filter(([name]) => !ADDON_POLICY.test(name))
        .map(([, policy]) => policy);
      expect(policies.length).toBeGreaterThanOrEqual(3);
      for (const policy of policies) {
        expect(wildcardProblems(policy.policy, DASHBOARD_ACTIONS.concat("ecr:GetAuthorizationToken", "route53:ListHostedZones"))).toEqual([]);
      }
    }
    // The checker itself rejects what it must.
    const planted = renderPolicy(
      policyDocument(
        { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" },
        { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
        { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" },
      ),
    );
    expect(wildcardProblems(planted, DASHBOARD_ACTIONS)).toEqual(["action s3:*", 's3:GetObject on "*"', "action *"]);
  });

  test("gateway: objects only under its prefixes, list only on the bucket, only the bucket key (IAM-12)", () => {
    const statements = parsePolicy(policyOf("product_roles_gateway_data")).Statement;
    const prefixes = Object.values(DATA_PREFIXES);
    expect(prefixes).toEqual(["snapshots/", "search-history/", "clickstream/"]);
    expect(statements).toEqual([
      {
        Sid: "GatewayDataObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: prefixes.map((p) => `${BUCKET}/${p}*`),
      },
      {
        Sid: "GatewayDataList",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: BUCKET,
        Condition: { StringLike: { "s3:prefix": prefixes.flatMap((p) => [p, `${p}*`]) } },
      },
      { Sid: "DataBucketKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: BUCKET_KEY },
    ]);
  });

  const DASHBOARD_ACTIONS = [
    "ce:GetCostAndUsage",
    "ce:GetCostForecast",
    "ce:GetDimensionValues",
    "ce:GetTags",
    "pricing:GetProducts",
    "pricing:DescribeServices",
    "pricing:GetAttributeValues",
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
  ];

  test("dashboard: exactly the cost, pricing and metrics reads on *, never ce:* (IAM-13)", () => {
    const statements = parsePolicy(policyOf("product_roles_dashboard_cost_read")).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Effect).toBe("Allow");
    expect([...asList<string>(statements[0].Action)].sort()).toEqual([...DASHBOARD_ACTIONS].sort());
    expect(statements[0].Resource).toBe("*");
    expect(JSON.stringify(statements)).not.toMatch(/"ce:\*"|"pricing:\*"|"cloudwatch:\*"/);
  });

  test("operator and workers: read/write only under pipelines/, the bucket key, and pulls of the functions repository", () => {
    expect(PIPELINE_PREFIX).toBe("pipelines/");
    const statements = parsePolicy(policyOf("product_roles_operator_pipelines")).Statement;
    const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
    expect(bySid.PipelineChunksObjects.Resource).toEqual([`${BUCKET}/pipelines/*`]);
    expect(bySid.PipelineChunksList).toMatchObject({ Action: "s3:ListBucket", Resource: BUCKET, Condition: { StringLike: { "s3:prefix": ["pipelines/", "pipelines/*"] } } });
    expect(bySid.DataBucketKey.Resource).toBe(BUCKET_KEY);
    expect(bySid.PullFunctionImages).toEqual({
      Sid: "PullFunctionImages",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      Resource: "${aws_ecr_repository.image_registry_functions.arn}",
    });
    expect(bySid.RegistryLogin).toEqual({ Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
    expect(Object.keys(bySid).sort()).toEqual(["DataBucketKey", "PipelineChunksList", "PipelineChunksObjects", "PullFunctionImages", "RegistryLogin"]);
    // Never the gateway's prefixes.
    expect(JSON.stringify(statements)).not.toMatch(/snapshots\/|search-history\/|clickstream\//);
  });

  test("namespace and service-account names come from the environment file", () => {
    const env = environmentFromYaml(
      `${MINIMAL_ENVIRONMENT}  namespace: search\n  serviceAccounts:\n    gateway: gw\n    operator: op\n    worker: wk\n`,
    );
    const stack = synthEnvironment(env).aws!;
    expect(irsaTrustProblems(roles(stack).product_roles_gateway.assume_role_policy, FRESH_PROVIDER, FRESH_ISSUER, [{ namespace: "search", name: "gw" }])).toEqual([]);
    expect(
      irsaTrustProblems(roles(stack).product_roles_operator.assume_role_policy, FRESH_PROVIDER, FRESH_ISSUER, [
        { namespace: "search", name: "op" },
        { namespace: "search", name: "wk" },
      ]),
    ).toEqual([]);
    expect(irsaTrustProblems(roles(stack).product_roles_dashboard.assume_role_policy, FRESH_PROVIDER, FRESH_ISSUER, [{ namespace: "search", name: "layer-dashboard" }])).toEqual([]);
  });

  test("existing-cluster mode: the roles trust the existing cluster's OIDC provider", () => {
    const existing = synthExample("existing").aws!;
    const provider = "${data.aws_iam_openid_connect_provider.existing_cluster_oidc_provider.arn}";
    const issuer = "${local.existing_cluster_oidc_issuer_host}";
    expect(irsaTrustProblems(roles(existing).product_roles_gateway.assume_role_policy, provider, issuer, [{ namespace: "layer", name: "layer-gateway" }])).toEqual([]);
  });
});
