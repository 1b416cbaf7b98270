/**
 * A small IAM policy evaluator: enough of the AWS evaluation logic to answer
 * "may this role do X on Y in context Z" from the synthesized documents.
 *
 *   explicit Deny > Allow > implicit deny
 *   Action / NotAction and Resource / NotResource with `*` and `?` wildcards
 *   Condition: every operator block and every key must hold (AND); the values
 *   listed for one key are alternatives (OR). Supported operators: String*,
 *   Arn*, Bool, Null, Numeric*, each with `...IfExists`, and the
 *   ForAnyValue: / ForAllValues: set qualifiers.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import { asList } from "../terraform";
import { globToRegExp } from "./catalogue";
import type { PolicyDocument, Statement } from "./policy";
import { statementsOf } from "./policy";

export type ContextValue = string | boolean | number | ReadonlyArray<string>;

export interface Request {
  /** `service:Action` */
  readonly action: string;
  /** The resource ARN the request acts on (`*` for actions without resources). */
  readonly resource: string;
  /** Request context keys (`aws:ResourceTag/karpenter.sh/nodepool`); names are case-insensitive. */
  readonly context?: Readonly<Record<string, ContextValue | undefined>>;
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

export class UnsupportedCondition extends Error {}

export function evaluate(documents: readonly PolicyDocument[], request: Request): { decision: Decision; statements: Statement[] } {
  const matching = documents.flatMap((d) => statementsOf(d)).filter((s) => statementApplies(s, request));
  const denies = matching.filter((s) => s.Effect === "Deny");
  if (denies.length > 0) return { decision: "explicit-deny", statements: denies };
  const allows = matching.filter((s) => s.Effect === "Allow");
  return allows.length > 0 ? { decision: "allow", statements: allows } : { decision: "implicit-deny", statements: [] };
}

export function statementApplies(s: Statement, request: Request): boolean {
  return actionMatches(s, request.action) && resourceMatches(s, request.resource) && conditionsHold(s.Condition, request.context ?? {});
}

export function actionMatches(s: Statement, action: string): boolean {
  const matches = (patterns: string[]) => patterns.some((p) => globToRegExp(p, true).test(action));
  if (s.Action !== undefined) return matches(asList(s.Action));
  if (s.NotAction !== undefined) return !matches(asList(s.NotAction));
  return false;
}

export function resourceMatches(s: Statement, resource: string): boolean {
  const matches = (patterns: string[]) => patterns.some((p) => globToRegExp(p).test(resource));
  if (s.Resource !== undefined) return matches(asList(s.Resource));
  if (s.NotResource !== undefined) return !matches(asList(s.NotResource));
  return false;
}

/**
 * Does some resource and some request context exist under which an Allow
 * statement grants `action`? Used for "can never do X" expectations, where
 * no single request can prove the negative. Deny statements are ignored
 * (they cannot be assumed to apply), so this over-approximates what is allowed.
 */
export function allowsSomewhere(documents: readonly PolicyDocument[], action: string): Statement[] {
  return documents.flatMap((d) => statementsOf(d)).filter((s) => s.Effect === "Allow" && actionMatches(s, action));
}

function contextValue(context: Readonly<Record<string, ContextValue | undefined>>, key: string): string[] | undefined {
  const entry = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
  if (!entry || entry[1] === undefined) return undefined;
  const v = entry[1];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

export function conditionsHold(condition: Statement["Condition"], context: Readonly<Record<string, ContextValue | undefined>>): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys ?? {}).every(([key, expected]) => operatorHolds(operator, contextValue(context, key), asList(expected as any).map(String))),
  );
}

type Comparator = (actual: string, expected: string) => boolean;

const COMPARATORS: Record<string, { compare: Comparator; negated: boolean }> = {
  StringEquals: { compare: (a, e) => a === e, negated: false },
  StringNotEquals: { compare: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { compare: (a, e) => globToRegExp(e).test(a), negated: false },
  StringNotLike: { compare: (a, e) => globToRegExp(e).test(a), negated: true },
  ArnEquals: { compare: (a, e) => a === e, negated: false },
  ArnNotEquals: { compare: (a, e) => a === e, negated: true },
  ArnLike: { compare: (a, e) => globToRegExp(e).test(a), negated: false },
  ArnNotLike: { compare: (a, e) => globToRegExp(e).test(a), negated: true },
  Bool: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  NumericEquals: { compare: (a, e) => Number(a) === Number(e), negated: false },
  NumericNotEquals: { compare: (a, e) => Number(a) === Number(e), negated: true },
  NumericLessThan: { compare: (a, e) => Number(a) < Number(e), negated: false },
  NumericLessThanEquals: { compare: (a, e) => Number(a) <= Number(e), negated: false },
  NumericGreaterThan: { compare: (a, e) => Number(a) > Number(e), negated: false },
  NumericGreaterThanEquals: { compare: (a, e) => Number(a) >= Number(e), negated: false },
};

export function operatorHolds(operator: string, actual: string[] | undefined, expected: string[]): boolean {
  let op = operator;
  let qualifier: "any" | "all" | undefined;
  if (op.startsWith("ForAnyValue:")) {
    qualifier = "any";
    op = op.slice("ForAnyValue:".length);
  } else if (op.startsWith("ForAllValues:")) {
    qualifier = "all";
    op = op.slice("ForAllValues:".length);
  }
  const ifExists = op.endsWith("IfExists");
  if (ifExists) op = op.slice(0, -"IfExists".length);

  if (op === "Null") {
    const wantAbsent = expected.some((e) => e.toLowerCase() === "true");
    return wantAbsent ? actual === undefined : actual !== undefined;
  }
  const comparator = COMPARATORS[op];
  if (!comparator) throw new UnsupportedCondition(`condition operator ${operator} is not supported by the audit's evaluator`);
  const matchesOne = (value: string) => expected.some((e) => comparator.compare(value, e));

  if (qualifier === "all") {
    // True when every value in the request matches; vacuously true for a missing key.
    if (actual === undefined || actual.length === 0) return true;
    return actual.every((v) => (comparator.negated ? !matchesOne(v) : matchesOne(v)));
  }
  if (qualifier === "any") {
    if (actual === undefined || actual.length === 0) return false;
    return actual.some((v) => (comparator.negated ? !matchesOne(v) : matchesOne(v)));
  }
  if (actual === undefined) return ifExists || comparator.negated;
  const positive = actual.some(matchesOne);
  return comparator.negated ? !positive : positive;
}
