/**
 * No synthesized stack holds an escaped interpolation (`$${`). cdktf writes a
 * "${...}" string passed to a function (Fn.replace, Fn.join) as a literal,
 * escaping it, so a reference built as a string instead of a token reaches
 * terraform as its own text: the chart would receive "${ephemeral...}".
 */
import { Fn, TerraformOutput, TerraformVariable, Token, ref } from "cdktf";
import { environmentNames, synthExample } from "../helpers/synth";
import { synthConstructs } from "../helpers/construct-stack";

/** `<stack> <path>: <text>` of every string that escapes an interpolation. */
function escapedInterpolations(stack: unknown, name: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (typeof value === "string") {
      if (value.includes("$${")) found.push(`${name} ${at}: ${value.slice(0, 120)}`);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) if (k !== "//") walk(v, at ? `${at}.${k}` : k);
  };
  walk(stack, "");
  return found;
}

test.each(environmentNames())("%s: no stack writes a reference as literal text", (name) => {
  const { aws, helm } = synthExample(name);
  expect([...(aws ? escapedInterpolations(aws, `layer-${name}-aws`) : []), ...escapedInterpolations(helm, `layer-${name}-helm`)]).toEqual([]);
});

test("the check finds a reference given to a function as a string, and passes the same reference as a token", () => {
  const stack = synthConstructs((scope) => {
    new TerraformVariable(scope, "secret", { type: "string" });
    new TerraformOutput(scope, "as_string", { value: Fn.replace("${var.secret}", ",", "\\\\,") });
    new TerraformOutput(scope, "as_token", { value: Fn.replace(Token.asString(ref("var.secret")), ",", "\\\\,") });
  });
  expect(escapedInterpolations(stack, "test")).toEqual([expect.stringMatching(/^test output\.as_string\.value: /)]);
});
