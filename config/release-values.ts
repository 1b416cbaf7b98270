/**
 * The values contract of hev layer's own chart (release `layer`), in
 * config/release/: the schema of `helm-values/<env>.yaml` (values-schema.ts),
 * its validation against the environment (check.ts), the merge with what AWS
 * wires in (build.ts) and the secrets that reach the chart only as
 * write-only values (secrets.ts). See docs/secrets.md.
 */
export * from "./release/values-schema";
export * from "./release/check";
export * from "./release/build";
export * from "./release/secrets";
export * from "./release/chart";
