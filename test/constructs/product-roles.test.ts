import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { asList, parsePolicy, resourcesOfType } from "../helpers/terraform-json";
import { irsaTrustProblems, wildcardProblems } from "../helpers/iam";
import { roleName } from "../../config/naming";
import { DATA_PREFIXES, PIPELINE_PREFIX } from "../../constructs/data-bucket";
import { policyDocument, renderPolicy } from "../../constructs/iam-document";
import { ProductRoles } from "../../constructs/product-roles";
import { GATEWAY_PREFIXES, gatewayAccess } from "../../config/gateway-access";
import { STUB_CLUSTER, synthConstructs } from "../helpers/construct-stack";

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
    // The chart renders no worker service account: the operator's is the only one its role trusts.
    ["product_roles_operator", [{ namespace: "layer", name: "layer-operator" }]],
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
      [
        "StringLike on sub",
        { StringEquals: { "issuer:aud": "sts.amazonaws.com" }, StringLike: { "issuer:sub": "system:serviceaccount:layer:layer-gateway" } },
        /operator StringLike/,
      ],
      ["a wildcard service account", { StringEquals: { "issuer:sub": "system:serviceaccount:layer:*", "issuer:aud": "sts.amazonaws.com" } }, /wildcard/],
      ["a wildcard audience", { StringEquals: { "issuer:sub": "system:serviceaccount:layer:layer-gateway", "issuer:aud": "*" } }, /aud is "\*"/],
      [
        "an extra service account",
        {
          StringEquals: {
            "issuer:sub": ["system:serviceaccount:layer:layer-gateway", "system:serviceaccount:default:default"],
            "issuer:aud": "sts.amazonaws.com",
          },
        },
        /expected exactly/,
      ],
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

  test('no role trusts everyone or a whole account; no inline or admin policies; no wildcard actions, "*" resources only for unscopable actions (IAM-05, IAM-06, IAM-07, IAM-08, IAM-11)', () => {
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

  test("gateway: objects only under every prefix the gateway, document cache and metrics backup use, list only on the bucket, the bucket key only through S3 (IAM-12)", () => {
    const statements = parsePolicy(policyOf("product_roles_gateway_data")).Statement;
    const prefixes = [...GATEWAY_PREFIXES, "vm-backups/"];
    expect(prefixes).toEqual(["snapshots/", "latest/", "search-history/", "clickstream/", "shards/", "checkpoints/", "blobs/", "vm-backups/"]);
    // The prefixes with lifecycle rules are among them.
    expect(Object.values(DATA_PREFIXES).filter((p) => !prefixes.includes(p))).toEqual([]);
    expect(statements).toEqual([
      {
        Sid: "GatewayDataObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
        Resource: prefixes.map((p) => `${BUCKET}/${p}*`),
      },
      {
        Sid: "GatewayDataList",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: BUCKET,
        Condition: { StringLike: { "s3:prefix": prefixes.flatMap((p) => [p, `${p}*`]) } },
      },
      {
        Sid: "DataBucketKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: BUCKET_KEY,
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      },
    ]);
    const prod = parsePolicy(policyOf("product_roles_gateway_data", synthExample("prod").aws!)).Statement;
    expect(prod[2].Condition).toEqual({ StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
  });

  test("gateway: the cost API's Cost Explorer read, on by default like the chart's gateway.cost.costExplorerEnabled", () => {
    const statements = parsePolicy(policyOf("product_roles_gateway_cost_explorer")).Statement;
    expect(statements).toEqual([{ Sid: "CostExplorerRead", Effect: "Allow", Action: "ce:GetCostAndUsage", Resource: "*" }]);
    const attached = Object.values<any>(resourcesOfType(dev, "aws_iam_role_policy_attachment")).filter(
      (a) => a.role === "${aws_iam_role.product_roles_gateway.name}",
    );
    expect(attached.map((a) => a.policy_arn).sort()).toEqual([
      "${aws_iam_policy.product_roles_gateway_cost_explorer.arn}",
      "${aws_iam_policy.product_roles_gateway_data.arn}",
    ]);
  });

  describe("what the chart values turn on (config/gateway-access.ts)", () => {
    test("chart defaults: the gateway prefixes, vm-backups/ for vmbackup, Cost Explorer on", () => {
      expect(gatewayAccess({})).toEqual({ prefixes: [...GATEWAY_PREFIXES, "vm-backups/"], costExplorer: true });
    });
    test.each([
      ["search on: its s3Prefix", { search: { enabled: true } }, [...GATEWAY_PREFIXES, "vm-backups/", "search/"], true],
      [
        "search on with its own prefix",
        { search: { enabled: true, storage: { s3Prefix: "/hev-search/" } } },
        [...GATEWAY_PREFIXES, "vm-backups/", "hev-search/"],
        true,
      ],
      ["search storing elsewhere (storage.uri)", { search: { enabled: true, storage: { uri: "s3://other/x" } } }, [...GATEWAY_PREFIXES, "vm-backups/"], true],
      ["another backup prefix", { metrics: { backup: { s3Prefix: "metrics" } } }, [...GATEWAY_PREFIXES, "metrics/"], true],
      ["no backup", { metrics: { backup: { enabled: false } } }, [...GATEWAY_PREFIXES], true],
      ["an external Prometheus (no vmsingle, no vmbackup)", { metrics: { externalEndpoint: "http://prom:9090" } }, [...GATEWAY_PREFIXES], true],
      ["Cost Explorer off", { gateway: { cost: { costExplorerEnabled: false } } }, [...GATEWAY_PREFIXES, "vm-backups/"], false],
    ])("%s", (_label, values, prefixes, costExplorer) => {
      expect(gatewayAccess(values)).toEqual({ prefixes, costExplorer });
    });

    test("the role follows them: search/ granted, Cost Explorer dropped", () => {
      const access = gatewayAccess({ search: { enabled: true }, gateway: { cost: { costExplorerEnabled: false } } });
      const stack = synthConstructs((scope) => {
        new ProductRoles(scope, "product-roles", {
          oidcProvider: STUB_CLUSTER.oidcProvider,
          roleNames: { gateway: "g", dashboard: "d", operator: "o" },
          bucketArn: "arn:aws:s3:::b",
          bucketKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
          region: "us-east-1",
          gatewayPrefixes: access.prefixes,
          gatewayCostExplorer: access.costExplorer,
          functionsRepositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/f",
        });
      });
      const data = parsePolicy(resourcesOfType(stack, "aws_iam_policy").product_roles_gateway_data.policy).Statement;
      expect(data[0].Resource).toContain("arn:aws:s3:::b/search/*");
      // Without prefixes the role takes those of the chart's defaults, vm-backups/ included.
      const defaults = synthConstructs((scope) => {
        new ProductRoles(scope, "product-roles", {
          oidcProvider: STUB_CLUSTER.oidcProvider,
          roleNames: { gateway: "g", dashboard: "d", operator: "o" },
          bucketArn: "arn:aws:s3:::b",
          bucketKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
          region: "us-east-1",
          functionsRepositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/f",
        });
      });
      expect(parsePolicy(resourcesOfType(defaults, "aws_iam_policy").product_roles_gateway_data.policy).Statement[0].Resource).toContain(
        "arn:aws:s3:::b/vm-backups/*",
      );
      expect(resourcesOfType(defaults, "aws_iam_policy").product_roles_gateway_cost_explorer).toBeDefined();
      expect(resourcesOfType(stack, "aws_iam_policy").product_roles_gateway_cost_explorer).toBeUndefined();
      // Without service accounts the roles trust the chart's own defaults.
      const trust = (name: string) => parsePolicy(resourcesOfType(stack, "aws_iam_role")[name].assume_role_policy).Statement[0].Condition.StringEquals;
      expect(Object.values(trust("product_roles_gateway")).flat()).toContain("system:serviceaccount:layer:layer");
      expect(Object.values(trust("product_roles_operator")).flat()).toContain("system:serviceaccount:layer:layer-operator");
    });
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
    expect(bySid.PipelineChunksList).toMatchObject({
      Action: "s3:ListBucket",
      Resource: BUCKET,
      Condition: { StringLike: { "s3:prefix": ["pipelines/", "pipelines/*"] } },
    });
    expect(bySid.DataBucketKey.Resource).toBe(BUCKET_KEY);
    expect(bySid.DataBucketKey.Condition).toEqual({ StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
    expect(bySid.PullFunctionImages).toEqual({
      Sid: "PullFunctionImages",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      Resource: "${aws_ecr_repository.image_registry_functions.arn}",
    });
    expect(bySid.RegistryLogin).toEqual({ Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
    expect(Object.keys(bySid).sort()).toEqual(["DataBucketKey", "PipelineChunksList", "PipelineChunksObjects", "PullFunctionImages", "RegistryLogin"]);
    // Never the gateway's prefixes.
    expect(JSON.stringify(statements)).not.toMatch(new RegExp(GATEWAY_PREFIXES.map((p) => `/${p}`).join("|")));
  });

  test("namespace and service-account names come from the environment file", () => {
    const env = environmentFromYaml(`${MINIMAL_ENVIRONMENT}  namespace: search\n  serviceAccounts:\n    gateway: gw\n    operator: op\n    worker: wk\n`);
    const stack = synthEnvironment(env).aws!;
    expect(
      irsaTrustProblems(roles(stack).product_roles_gateway.assume_role_policy, FRESH_PROVIDER, FRESH_ISSUER, [{ namespace: "search", name: "gw" }]),
    ).toEqual([]);
    expect(
      irsaTrustProblems(roles(stack).product_roles_operator.assume_role_policy, FRESH_PROVIDER, FRESH_ISSUER, [{ namespace: "search", name: "op" }]),
    ).toEqual([]);
    expect(
      irsaTrustProblems(roles(stack).product_roles_dashboard.assume_role_policy, FRESH_PROVIDER, FRESH_ISSUER, [
        { namespace: "search", name: "layer-dashboard" },
      ]),
    ).toEqual([]);
  });

  test("existing-cluster mode: the roles trust the existing cluster's OIDC provider", () => {
    const existing = synthExample("existing").aws!;
    const provider = "${data.aws_iam_openid_connect_provider.existing_cluster_oidc_provider.arn}";
    const issuer = "${local.existing_cluster_oidc_issuer_host}";
    expect(
      irsaTrustProblems(roles(existing).product_roles_gateway.assume_role_policy, provider, issuer, [{ namespace: "layer", name: "layer-gateway" }]),
    ).toEqual([]);
  });
});
