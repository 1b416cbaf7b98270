/**
 * `npm run artifacts`: the commands that fill an empty ECR repository push
 * exactly the images and the chart the release pulls.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { artifactCommands } from "../../scripts/artifacts";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthExample } from "../helpers/synth";
import { layerRelease } from "../helpers/terraform-json";
import { announceHelmSkip, findHelm, runHelm } from "../helpers/helm-binary";
import { describeWithReference } from "../helpers/reference";
import { errorOf } from "../helpers/config-error";

const { env, helm } = synthExample("dev");
const commands = artifactCommands(env, "docker.io/hevlayer", "vendor/layer");
const release = layerRelease(helm);
const values = parse(release.values[0]);

test("every image the release runs is one this script pushes", () => {
  const pushed = commands.filter((c) => c.startsWith("docker push ")).map((c) => c.slice("docker push ".length));
  expect(pushed.sort()).toEqual([values.dashboard.image, values.gateway.image, values.operator.image].sort());
  expect(commands).toContain("docker pull docker.io/hevlayer/layer-gateway-pro:0.5.2");
});

test("the chart lands where the release installs it from", () => {
  expect(commands.at(-1)).toBe(`helm push cdktf.out/charts/${release.chart}-${release.version}.tgz ${release.repository}`);
  expect(commands[0]).toBe(
    "aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com",
  );
});

test("an image pinned only by digest is pulled by digest and pushed under a tag (the repositories are immutable)", () => {
  const digest = `sha256:${"b".repeat(64)}`;
  const pinned = environmentFromYaml(MINIMAL_ENVIRONMENT.replace('gateway: {tag: "0.5.2"}', `gateway: {digest: "${digest}"}`), "dev");
  const c = artifactCommands(pinned, "docker.io/hevlayer", "x");
  expect(c).toContain(`docker pull docker.io/hevlayer/layer-gateway-pro@${digest}`);
  expect(c).toContain("docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev/gateway:bbbbbbbbbbbb");
});

test("an environment that pulls from its own registry is refused", () => {
  expect(errorOf(() => artifactCommands(synthExample("helm-only").env, "s", "c")).message).toMatch(
    /mode: found "?helm-only"?; expected an environment whose images live in its own ECR repositories/,
  );
});

const helmBinary = findHelm();
if (typeof helmBinary !== "string") {
  announceHelmSkip(helmBinary.skip);
  test.skip(`helm package skipped: ${helmBinary.skip}`, () => undefined);
} else {
  describeWithReference("the packaged chart", "charts/hev-layer-0.1.0/Chart.yaml", (chartFile) => {
    test("helm package makes the file helm push sends, at the release's chart version", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-package-"));
      try {
        const packageCommand = commands.find((c) => c.startsWith("helm package "))!.split(" ");
        const run = runHelm(helmBinary, ["package", path.dirname(chartFile), "--version", packageCommand[4], "--destination", dir]);
        expect(run.status).toBe(0);
        expect(fs.readdirSync(dir)).toEqual([`${release.chart}-${release.version}.tgz`]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
