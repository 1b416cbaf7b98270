/** The cost-allocation tag the gateway's cost API filters by is on everything the environment creates. */
import { parseAllDocuments } from "yaml";
import { costAllocationTag } from "../../config/cost-allocation";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { asList, onlyResource, resourcesOfType } from "../helpers/terraform-json";

const providerTags = (stack: any) => asList<any>(stack.provider.aws)[0].default_tags[0].tags;

test("Project=hevlayer, the chart's gateway.cost default, unless the environment's tags set Project", () => {
  expect(costAllocationTag(synthExample("dev").env)).toEqual({ key: "Project", value: "hevlayer" });
  const own = environmentFromYaml(`${MINIMAL_ENVIRONMENT}tags:\n  Project: layer-staging\n`, "staging");
  expect(costAllocationTag(own)).toEqual({ key: "Project", value: "layer-staging" });
  const synth = synthEnvironment(own);
  expect(providerTags(synth.aws)).toMatchObject({ Project: "layer-staging" });
  expect(asList<any>(onlyResource(synth.aws, "aws_launch_template").tag_specifications)[0].tags).toMatchObject({ Project: "layer-staging" });
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
