/** Terraform addresses follow the construct tree, and two constructs never share one. */
import { Construct } from "constructs";
import { DataResource } from "cdktf";
import { synthConstructs } from "../helpers/construct-stack";

test("addresses are the construct path in snake case; a child named default takes its parent's name", () => {
  const stack = synthConstructs((scope) => {
    new DataResource(new Construct(scope, "drain-gate"), "default", { input: { n: 1 } });
    new DataResource(new Construct(scope, "data-bucket"), "Key", { input: { n: 2 } });
  });
  expect(Object.keys(stack.resource!.terraform_data).sort()).toEqual(["data_bucket_key", "drain_gate"]);
});

test("two construct paths that map to one address are refused, naming both", () => {
  expect(() =>
    synthConstructs((scope) => {
      new DataResource(new Construct(scope, "a-b"), "c", { input: { n: 1 } });
      new DataResource(new Construct(scope, "a"), "b-c", { input: { n: 2 } });
    }),
  ).toThrow("constructs layer-test-aws/a-b/c and layer-test-aws/a/b-c both map to the Terraform address a_b_c; rename one of them");
});
