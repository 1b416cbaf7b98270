import { z } from "zod";
import { EnvironmentFileSchema } from "./schema";

/** JSON Schema of what a user may write (input side: defaulted fields are optional). */
export function environmentJsonSchema(): object {
  return {
    ...z.toJSONSchema(EnvironmentFileSchema, { io: "input", target: "draft-7" }),
    $id: "https://hev.dev/layer-infra/environment.schema.json",
    title: "hev layer environment",
    description: "One environment of the hev layer install: environments/<name>.yaml",
  };
}
