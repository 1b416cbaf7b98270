/** The CI matrix of environments: which are protected decides which deploys wait for approval. */
import { environmentSummaries } from "../../scripts/environments";
import * as fs from "node:fs";
import { exampleEnvironment, PROJECT_ROOT } from "../helpers/synth";
import { copyProject } from "../helpers/project-copy";

test("lists every environment with its protection, region and whether it has an AWS stack", () => {
  const all = environmentSummaries(PROJECT_ROOT);
  // Every environment file, a user's own included.
  const files = fs.readdirSync(`${PROJECT_ROOT}/environments`).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, ""));
  expect(all.map((e) => e.name).sort()).toEqual(files.sort());
  for (const e of all) {
    const env = exampleEnvironment(e.name);
    expect(e).toEqual({ name: env.name, mode: env.mode, protected: env.protected, awsStack: env.mode !== "helm-only", accountId: env.accountId, region: env.region });
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
