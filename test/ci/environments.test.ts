/** The CI matrix of environments: which are protected decides which deploys wait for approval. */
import * as fs from "node:fs";
import { deployPreflightProblems, deployRoleProblem, environmentSummaries, isDocumentationCidr } from "../../scripts/environments";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, exampleEnvironment, PROJECT_ROOT } from "../helpers/synth";
import { copyProject } from "../helpers/project-copy";

test("lists every environment with its protection, region and whether it has an AWS stack", () => {
  const all = environmentSummaries(PROJECT_ROOT);
  // Every environment file, a user's own included.
  const files = fs
    .readdirSync(`${PROJECT_ROOT}/environments`)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ""));
  expect(all.map((e) => e.name).sort()).toEqual(files.sort());
  for (const e of all) {
    const env = exampleEnvironment(e.name);
    expect(e).toEqual({
      name: env.name,
      mode: env.mode,
      protected: env.protected,
      awsStack: env.mode !== "helm-only",
      accountId: env.accountId,
      region: env.region,
    });
  }
});

test("splits protected from unprotected environments (the examples)", () => {
  const examples = copyProject();
  try {
    expect(environmentSummaries(examples, true).map((e) => e.name)).toEqual(["prod"]);
    expect(environmentSummaries(examples, false).map((e) => e.name)).toEqual(["dev", "existing", "helm-only"]);
  } finally {
    fs.rmSync(examples, { recursive: true, force: true });
  }
});

describe("the deploy role check run before credentials are requested", () => {
  const dev = exampleEnvironment("dev");
  test("passes for the environment's deployPrincipalArn", () => {
    expect(deployRoleProblem(dev, "arn:aws:iam::123456789012:role/layer-deploy")).toBeUndefined();
  });

  test("fails for a role the environment gives no access entry, naming the field to set", () => {
    expect(deployRoleProblem(dev, "arn:aws:iam::123456789012:role/someone-else")).toMatch(
      /environments\/dev.yaml: the deploy role arn:aws:iam::123456789012:role\/someone-else gets no cluster admin access entry; set deployPrincipalArn/,
    );
    expect(deployRoleProblem(dev, "")).toMatch(/LAYER_DEPLOY_ROLE_ARN/);
  });

  test("an existing cluster whose file grants nothing, and helm-only, are the cluster owner's to check", () => {
    const bare = environmentFromYaml(`${MINIMAL_ENVIRONMENT.replace(/^deployPrincipalArn:.*\n/m, "")}mode: existing-cluster\ncluster:\n  name: shared\n`);
    expect(deployRoleProblem(bare, "arn:aws:iam::123456789012:role/x")).toBeUndefined();
    expect(deployRoleProblem(exampleEnvironment("helm-only"), "arn:aws:iam::123456789012:role/x")).toBeUndefined();
    expect(deployRoleProblem(exampleEnvironment("existing"), "arn:aws:iam::123456789012:role/x")).toMatch(/gets no cluster admin/);
  });
});

describe("the deploy preflight: a path to the Kubernetes API", () => {
  const role = "arn:aws:iam::123456789012:role/layer-deploy";
  const env = (cluster: string) => environmentFromYaml(`${MINIMAL_ENVIRONMENT}cluster:\n${cluster}`, "pf");

  test("the examples' documentation-range allowlists are refused as placeholders, naming the field", () => {
    expect(deployPreflightProblems(exampleEnvironment("dev"), role)).toEqual([
      expect.stringMatching(/environments\/dev.yaml: cluster.publicAccessCidrs\[0\] is 203.0.113.0\/24, a documentation placeholder/),
    ]);
    expect(isDocumentationCidr("198.51.100.128/25")).toBe(true);
    expect(isDocumentationCidr("198.51.101.0/24")).toBe(false);
    expect(isDocumentationCidr("192.0.0.0/16")).toBe(false);
  });

  test("a real fixed egress on the public endpoint passes", () => {
    expect(deployPreflightProblems(env("  endpointPublicAccess: true\n  publicAccessCidrs: [52.1.2.3/32]\n"), role)).toEqual([]);
  });

  test("a private-only endpoint needs the runner's network in cluster.privateAccessCidrs", () => {
    expect(deployPreflightProblems(env("  endpointPublicAccess: false\n"), role)).toEqual([expect.stringContaining("cluster.privateAccessCidrs is empty")]);
    expect(deployPreflightProblems(env("  privateAccessCidrs: [10.50.0.0/24]\n"), role)).toEqual([]);
  });
});
