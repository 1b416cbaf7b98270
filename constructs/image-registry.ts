import { Construct } from "constructs";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { CustomerManagedKey } from "./kms-key";
import { protectFromDestroy } from "./lifecycle";

import { REPOSITORY_NAMES, type RepositoryName } from "../config/naming";

export { REPOSITORY_NAMES, type RepositoryName };

export interface ImageRegistryProps {
  /** Repositories are named `<namePrefix>/<image>`, e.g. `layer-dev/gateway` (see config/naming.ts). */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly partition: string;
  /** Untagged images are deleted after this many days. @default 7 */
  readonly untaggedExpiryDays?: number;
  /** At most this many images are kept per repository. @default 100 */
  readonly maxImageCount?: number;
  /** Adds `prevent_destroy` to repositories and their key. @default false */
  readonly protected?: boolean;
}

/**
 * ECR repositories with immutable tags, scan on push, KMS encryption and a
 * lifecycle policy (ECR-01..04). `force_delete` stays off, so ECR refuses to
 * delete a repository that still holds images.
 */
export class ImageRegistry extends Construct {
  readonly key: CustomerManagedKey;
  readonly repositories: Record<RepositoryName, EcrRepository>;

  constructor(scope: Construct, id: string, props: ImageRegistryProps) {
    super(scope, id);
    this.key = new CustomerManagedKey(this, "key", {
      alias: `${props.namePrefix}-images`,
      description: `Encrypts images in the ${props.namePrefix} ECR repositories`,
      accountId: props.accountId,
      partition: props.partition,
      protected: props.protected,
    });
    const lifecyclePolicy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: "Expire untagged images",
          selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: props.untaggedExpiryDays ?? 7 },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: "Keep at most the newest images",
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.maxImageCount ?? 100 },
          action: { type: "expire" },
        },
      ],
    });
    const repositories = {} as Record<RepositoryName, EcrRepository>;
    for (const name of REPOSITORY_NAMES) {
      const repository = new EcrRepository(this, name, {
        name: `${props.namePrefix}/${name}`,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: this.key.arn }],
        forceDelete: false,
      });
      protectFromDestroy(repository, props.protected ?? false);
      new EcrLifecyclePolicy(this, `${name}_lifecycle`, { repository: repository.name, policy: lifecyclePolicy });
      repositories[name] = repository;
    }
    this.repositories = repositories;
  }
}
