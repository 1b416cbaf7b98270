/** The CI matrix of environments: which are protected decides which deploys wait for approval. */
import { environmentSummaries } from "../../scripts/environments";
import { exampleEnvironment, exampleEnvironmentNames, PROJECT_ROOT } from "../helpers/synth";

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
