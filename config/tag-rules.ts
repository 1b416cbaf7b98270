/**
 * AWS tag rules for the environment's `tags` (they become the provider's
 * default tags and the Karpenter nodes' tags), from the AWS tagging limits:
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
 * (50 tags per resource, keys up to 128 and values up to 256 characters,
 * letters, digits, spaces and `+ - = . _ : / @`, `aws:` reserved in any case).
 */
import type { ConfigProblem } from "./errors";
import { describeValue } from "./errors";

/** AWS: at most 50 user tags on one resource. */
export const AWS_MAX_TAGS_PER_RESOURCE = 50;

/** Tags this project puts on every resource (config/naming.ts defaultTags). */
export const PROJECT_TAG_KEYS = ["hev.dev/product", "hev.dev/environment", "hev.dev/managed-by"] as const;

/**
 * The most tags anything adds to one resource on top of the default tags:
 * Karpenter tags each node's instance, volumes and launch template with
 * Name, karpenter.sh/nodepool, karpenter.sh/nodeclaim,
 * karpenter.k8s.aws/ec2nodeclass, kubernetes.io/cluster/<cluster> and
 * eks:eks-cluster-name (https://karpenter.sh/docs/concepts/nodeclasses/#spectags).
 */
export const TAGS_ADDED_PER_RESOURCE = 6;

/** How many tags an environment file may set. */
export const MAX_ENVIRONMENT_TAGS = AWS_MAX_TAGS_PER_RESOURCE - PROJECT_TAG_KEYS.length - TAGS_ADDED_PER_RESOURCE;

/** Keys Karpenter's EC2NodeClass refuses in spec.tags (its CRD's x-kubernetes-validations). */
export const KARPENTER_RESTRICTED_TAG_KEYS = [
  "eks:eks-cluster-name",
  "karpenter.sh/nodepool",
  "karpenter.sh/nodeclaim",
  "karpenter.k8s.aws/ec2nodeclass",
] as const;
export const KARPENTER_RESTRICTED_TAG_PREFIX = "kubernetes.io/cluster";

const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function checkTags(tags: Record<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const keys = Object.keys(tags);
  if (keys.length > MAX_ENVIRONMENT_TAGS) {
    problems.push({
      path: "tags",
      found: `${keys.length} tags`,
      expected: `at most ${MAX_ENVIRONMENT_TAGS}: AWS allows ${AWS_MAX_TAGS_PER_RESOURCE} per resource, and ${PROJECT_TAG_KEYS.length} project tags plus up to ${TAGS_ADDED_PER_RESOURCE} Karpenter node tags share that limit`,
    });
    return problems; // one message, not one per tag of a runaway list
  }
  for (const key of keys) {
    const at = `tags.${key}`;
    const value = tags[key];
    if (/^aws:/i.test(key)) {
      problems.push({ path: at, found: `the key ${describeValue(key)}`, expected: "a key without the aws: prefix, which AWS reserves for its own tags" });
    } else if (/^aws:/i.test(value)) {
      problems.push({ path: at, found: describeValue(value), expected: "a value without the aws: prefix, which AWS reserves" });
    } else if (!TAG_CHARACTERS.test(key)) {
      problems.push({ path: at, found: `the key ${describeValue(key)}`, expected: "letters, digits, spaces and + - = . _ : / @ only (AWS tag characters)" });
    } else if (!TAG_CHARACTERS.test(value)) {
      problems.push({ path: at, found: describeValue(value), expected: "letters, digits, spaces and + - = . _ : / @ only (AWS tag characters)" });
    } else if ((PROJECT_TAG_KEYS as readonly string[]).includes(key)) {
      problems.push({
        path: at,
        found: `the key ${describeValue(key)}`,
        expected: `a key of your own: ${PROJECT_TAG_KEYS.join(", ")} are set by this project`,
      });
    } else if ((KARPENTER_RESTRICTED_TAG_KEYS as readonly string[]).includes(key) || key.startsWith(KARPENTER_RESTRICTED_TAG_PREFIX)) {
      problems.push({
        path: at,
        found: `the key ${describeValue(key)}`,
        expected: "a key Karpenter accepts on its nodes (it sets this one itself and its EC2NodeClass refuses it)",
      });
    }
  }
  return problems;
}
