/** The CI matrix of environments: which are protected decides which deploys wait for approval. */
import { deployRoleProblem, environmentSummaries } from "../../scripts/environments";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, exampleEnvironment, exampleEnvironmentNames, PROJECT_ROOT } from "../helpers/synth";

test("lists every environment with its protection, region and whether it has an AWS stack", () => {
  const all = environmentSummaries(PROJECT_ROOT);
  expect(all.map((e) => e.name)).toEqual(exampleEnvironmentNames());
  for (const e of all) {
    const env = exampleEnvironment(e.name);
    expect(e).toEqual({ name: env.name, mode: env.mode, protected: env.protected, awsStack: env.mode !== "helm-only", accountId: env.accountId, region: env.region });
  }
});

test("splits protected from unprotected environments", () => {
  expect(environmentSummaries(PROJECT_ROOT, true).map((e) => e.name)).toEqual(["prod"]);
  expect(environmentSummaries(PROJECT_ROOT, false).every((e) => !e.protected)).toBe(true);
});

describe("the deploy role check run before credentials are requested", () => {
  const dev = exampleEnvironment("dev");
  test("passes for the environment's deployPrincipalArn", () => {
    expect(deployRoleProblem(dev, "arn:aws:iam::123456789012:role/layer-deploy")).toBeUndefined();
  });

  test("fails for a role the environment gives no access entry, naming the field to set", () => {
    expect(deployRoleProblem(dev, "arn:aws:iam::123456789012:role/someone-else")).toMatch(/environments\/dev.yaml: the deploy role arn:aws:iam::123456789012:role\/someone-else gets no cluster admin access entry; set deployPrincipalArn/);
    expect(deployRoleProblem(dev, "")).toMatch(/LAYER_DEPLOY_ROLE_ARN/);
  });

  test("an existing cluster whose file grants nothing, and helm-only, are the cluster owner's to check", () => {
    const bare = environmentFromYaml(`${MINIMAL_ENVIRONMENT.replace(/^deployPrincipalArn:.*\n/m, "")}mode: existing-cluster\ncluster:\n  name: shared\n`);
    expect(deployRoleProblem(bare, "arn:aws:iam::123456789012:role/x")).toBeUndefined();
    expect(deployRoleProblem(exampleEnvironment("helm-only"), "arn:aws:iam::123456789012:role/x")).toBeUndefined();
    expect(deployRoleProblem(exampleEnvironment("existing"), "arn:aws:iam::123456789012:role/x")).toMatch(/gets no cluster admin/);
  });
});
