/** The cost-allocation tag the gateway's cost API filters by is on everything the environment creates. */
import { parse, parseAllDocuments } from "yaml";
import { costAllocationTag } from "../../config/cost-allocation";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { asList, layerRelease, onlyResource, resourcesOfType } from "../helpers/terraform-json";

const providerTags = (stack: any) => asList<any>(stack.provider.aws)[0].default_tags[0].tags;

test("hev.dev/environment=<env>: the release filters Cost Explorer by the tag the default tags put everywhere", () => {
  expect(costAllocationTag(synthExample("dev").env)).toEqual({ key: "hev.dev/environment", value: "dev" });
  expect(parse(layerRelease(synthExample("prod").helm).values[0]).gateway.cost).toMatchObject({ tagKey: "hev.dev/environment", tagValue: "prod" });
  const synth = synthEnvironment(environmentFromYaml(MINIMAL_ENVIRONMENT, "staging"));
  expect(providerTags(synth.aws)).toMatchObject({ "hev.dev/environment": "staging" });
  expect(asList<any>(onlyResource(synth.aws, "aws_launch_template").tag_specifications)[0].tags).toMatchObject({ "hev.dev/environment": "staging" });
});

test.each(["dev", "prod", "existing"])("%s: both stacks' default tags, Karpenter's node classes and the load balancer controller carry it", (name) => {
  const { env, aws, helm } = synthExample(name);
  const tag = costAllocationTag(env);
  for (const stack of [aws, helm]) expect(providerTags(stack)[tag.key]).toBe(tag.value);
  const releases = resourcesOfType(helm, "helm_release");
  if (releases.worker_pools) {
    const values: any = parseAllDocuments(releases.worker_pools.values[0])[0].toJS();
    expect(values.tags[tag.key]).toBe(tag.value);
  }
  if (releases.load_balancer_controller) {
    const values: any = parseAllDocuments(releases.load_balancer_controller.values[0])[0].toJS();
    expect(values.defaultTags[tag.key]).toBe(tag.value);
  }
});
