/**
 * One snapshot per example environment and stack, small enough to review: the
 * stack's shape (every resource and data source address, outputs, variables,
 * providers and backend), so an added, removed or renamed resource shows up
 * in review. Values are asserted by the property tests of each construct and
 * stack, and by the audit.
 */
import { dataSources, resources, type StackJson } from "../../tfjson/stack-json";
import { exampleEnvironmentNames, synthExample } from "../helpers/synth";

function shape(stack: StackJson) {
  return {
    resources: resources(stack).map((r) => r.address),
    data: dataSources(stack).map((r) => r.address),
    outputs: Object.keys(stack.output ?? {}).sort(),
    variables: Object.keys(stack.variable ?? {}).sort(),
    providers: Object.keys(stack.provider ?? {}).sort(),
    backend: Object.keys(stack.terraform?.backend ?? {}),
  };
}

describe.each(exampleEnvironmentNames())("%s", (name) => {
  const synthesized = synthExample(name);
  if (synthesized.aws) {
    test(`layer-${name}-aws`, () => expect(shape(synthesized.aws!)).toMatchSnapshot());
  }
  test(`layer-${name}-helm`, () => expect(shape(synthesized.helm)).toMatchSnapshot());
});
