import type { Environment } from "../config/environment";

/** Bucket names are global: account and region make them unique without a random suffix. */
export function dataBucketName(env: Pick<Environment, "resourcePrefix" | "accountId" | "region">): string {
  return `${env.resourcePrefix}-data-${env.accountId}-${env.region}`;
}

/** Tags on every AWS resource (the provider's default_tags). */
export function defaultTags(env: Pick<Environment, "name" | "tags">): Record<string, string> {
  return {
    "hev.dev/product": "layer",
    "hev.dev/environment": env.name,
    "hev.dev/managed-by": "layer-infra",
    ...env.tags,
  };
}
