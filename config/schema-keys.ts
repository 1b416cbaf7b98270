/** Walks zod schemas for the keys an object accepts, for "did you mean" hints in errors. */
import type { z } from "zod";

/** Keys an object accepts at `at`, for "did you mean" hints. */
export function knownKeysAt(schema: z.ZodType, at: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const key of at) {
    if (!current) return [];
    const def = (current as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === "object") current = unwrap((def.shape as Record<string, z.ZodType>)[String(key)]);
    else if (def.type === "array") current = unwrap(def.element as z.ZodType);
    else if (def.type === "record") current = unwrap(def.valueType as z.ZodType);
    else return [];
  }
  if (!current) return [];
  const def = (current as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  if (def.type === "object") return Object.keys(def.shape as object);
  if (def.type === "union") {
    return [...new Set((def.options as z.ZodType[]).flatMap((o) => knownKeysAt(o, [])))];
  }
  return [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  for (;;) {
    if (!s) return s;
    const def = (s as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (["default", "prefault", "optional", "nullable", "readonly", "catch"].includes(def.type as string)) {
      s = def.innerType as z.ZodType;
    } else if (def.type === "pipe") {
      s = def.in as z.ZodType;
    } else {
      return s;
    }
  }
}
