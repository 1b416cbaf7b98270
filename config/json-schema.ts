import { z } from "zod";
import { EnvironmentFileSchema } from "./schema";
import { ValuesFileSchema } from "./release-values";

/** JSON Schema of what a user may write (input side: defaulted fields are optional). */
export function environmentJsonSchema(): object {
  return {
    ...z.toJSONSchema(EnvironmentFileSchema, { io: "input", target: "draft-7" }),
    $id: "https://hev.dev/layer-infra/environment.schema.json",
    title: "hev layer environment",
    description: "One environment of the hev layer install: environments/<name>.yaml",
  };
}

/** JSON Schema of `helm-values/<env>.yaml` (the non-secret, non-wired chart values). */
export function valuesJsonSchema(): object {
  return {
    ...z.toJSONSchema(ValuesFileSchema, { io: "input", target: "draft-7" }),
    $id: "https://hev.dev/layer-infra/helm-values.schema.json",
    title: "hev layer release values",
    description:
      "Chart values of the layer release: helm-values/<env>.yaml. Secrets and values wired from AWS (s3, serviceAccount, role ARNs, gateway.image) are not allowed here.",
  };
}
