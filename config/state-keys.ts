/**
 * Where each stack keeps its Terraform state. Every stack has its own state
 * file: an S3 key rendered from `backend.s3.key` (a template holding
 * `{stack}`), or a local file named after the stack. Two stacks that resolve
 * to the same state would overwrite each other's resources on apply, so they
 * are refused at load, naming both environment files.
 */
import { ConfigError } from "./errors";
import { Environment, awsStackName, createsAwsStack, helmStackName } from "./environment";

/** The placeholder `backend.s3.key` must hold; each stack puts its name there. */
export const STACK_PLACEHOLDER = "{stack}";

/** Default S3 key template: one folder per environment, one file per stack. */
export function defaultStateKeyTemplate(envName: string): string {
  return `layer/${envName}/${STACK_PLACEHOLDER}.tfstate`;
}

/** The S3 object key of one stack's state. */
export function stateKey(env: Pick<Environment, "name" | "backend">, stackName: string): string {
  const template = env.backend.s3?.key ?? defaultStateKeyTemplate(env.name);
  return template.split(STACK_PLACEHOLDER).join(stackName);
}

/** The stacks an environment synthesizes. */
export function stackNames(env: Pick<Environment, "name" | "mode">): string[] {
  return createsAwsStack(env) ? [awsStackName(env), helmStackName(env)] : [helmStackName(env)];
}

/** Where a stack's state lives, comparable across environments (`s3://bucket/key` or the local file). */
export function stateLocation(env: Pick<Environment, "name" | "backend">, stackName: string): string {
  const s3 = env.backend.s3;
  return s3 ? `s3://${s3.bucket}/${stateKey(env, stackName)}` : `local terraform.${stackName}.tfstate`;
}

/**
 * One ConfigError per environment in `checked` that shares a state location
 * with another stack, of its own or of any environment in `checked` or `others`.
 */
export function sharedStateKeyErrors(checked: readonly Environment[], others: readonly Environment[] = []): ConfigError[] {
  const owners = new Map<string, Array<{ env: Environment; stack: string }>>();
  for (const env of [...checked, ...others]) {
    for (const stack of stackNames(env)) {
      const where = stateLocation(env, stack);
      owners.set(where, [...(owners.get(where) ?? []), { env, stack }]);
    }
  }
  const errors: ConfigError[] = [];
  for (const env of checked) {
    const clashes = stackNames(env).flatMap((stack) => {
      const where = stateLocation(env, stack);
      const rivals = owners.get(where)!.filter((o) => o.stack !== stack);
      return rivals.map((r) => `${stack} and ${r.stack} (${r.env.file}) both at ${where}`);
    });
    if (clashes.length === 0) continue;
    errors.push(
      new ConfigError(env.file, [
        {
          path: "backend.s3.key",
          found: `a state key shared by two stacks: ${clashes.join("; ")}`,
          expected: `a key template that gives every stack its own state file, such as ${defaultStateKeyTemplate(env.name)} (each stack writes its name in place of ${STACK_PLACEHOLDER})`,
        },
      ]),
    );
  }
  return errors;
}
