/**
 * One snapshot per example environment and stack. Metadata (cdktf version,
 * construct paths) is stripped so snapshots only change with the resources.
 */
import { exampleEnvironmentNames, synthExample } from "../helpers/synth";

describe.each(exampleEnvironmentNames())("%s", (name) => {
  const synthesized = synthExample(name);
  if (synthesized.aws) {
    test(`layer-${name}-aws`, () => expect(synthesized.aws).toMatchSnapshot());
  }
  test(`layer-${name}-helm`, () => expect(synthesized.helm).toMatchSnapshot());
});
