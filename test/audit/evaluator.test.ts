/** The audit's IAM policy evaluator, checked against the documented AWS evaluation rules. */
import { UnsupportedCondition, evaluate, operatorHolds, allowsSomewhere } from "../../audit/iam/evaluator";
import type { PolicyDocument } from "../../audit/iam/policy";

const doc = (...Statement: any[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const BUCKET = "arn:aws:s3:::data";

describe("decision", () => {
  const policy = doc(
    { Effect: "Allow", Action: "s3:*Object", Resource: `${BUCKET}/snapshots/*` },
    { Effect: "Deny", Action: "s3:DeleteObject", Resource: `${BUCKET}/snapshots/keep/*` },
  );
  test.each([
    ["s3:GetObject", `${BUCKET}/snapshots/a`, "allow"],
    ["S3:getobject", `${BUCKET}/snapshots/a`, "allow"], // actions are case-insensitive
    ["s3:GetObject", `${BUCKET}/other/a`, "implicit-deny"],
    ["s3:GetObject", "arn:aws:s3:::DATA/snapshots/a", "implicit-deny"], // resources are case-sensitive
    ["s3:DeleteObject", `${BUCKET}/snapshots/keep/a`, "explicit-deny"], // deny wins
    ["s3:ListBucket", BUCKET, "implicit-deny"],
  ])("%s on %s → %s", (action, resource, decision) => {
    expect(evaluate([policy], { action, resource }).decision).toBe(decision);
  });

  test("? matches exactly one character", () => {
    const p = doc({ Effect: "Allow", Action: "s3:GetObjec?", Resource: "arn:aws:s3:::b?" });
    expect(evaluate([p], { action: "s3:GetObject", resource: "arn:aws:s3:::b1" }).decision).toBe("allow");
    expect(evaluate([p], { action: "s3:GetObject", resource: "arn:aws:s3:::b12" }).decision).toBe("implicit-deny");
  });

  test("NotAction and NotResource", () => {
    const p = doc({ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::secret/*" });
    expect(evaluate([p], { action: "s3:GetObject", resource: "arn:aws:s3:::data/x" }).decision).toBe("allow");
    expect(evaluate([p], { action: "iam:PassRole", resource: "arn:aws:iam::1:role/x" }).decision).toBe("implicit-deny");
    expect(evaluate([p], { action: "s3:GetObject", resource: "arn:aws:s3:::secret/x" }).decision).toBe("implicit-deny");
  });

  test("statements across several documents combine", () => {
    const a = doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" });
    const b = doc({ Effect: "Deny", Action: "sqs:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(evaluate([a, b], { action: "sqs:SendMessage", resource: "q", context: { "aws:SecureTransport": "true" } }).decision).toBe("allow");
    expect(evaluate([a, b], { action: "sqs:SendMessage", resource: "q", context: { "aws:SecureTransport": false } }).decision).toBe("explicit-deny");
  });
});

describe("conditions", () => {
  test("keys are ANDed, values of one key are ORed", () => {
    const p = doc({
      Effect: "Allow",
      Action: "ec2:TerminateInstances",
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/a": ["1", "2"], "aws:ResourceTag/b": "x" } },
    });
    const run = (context: any) => evaluate([p], { action: "ec2:TerminateInstances", resource: "i", context }).decision;
    expect(run({ "aws:ResourceTag/a": "2", "aws:ResourceTag/b": "x" })).toBe("allow");
    expect(run({ "aws:ResourceTag/a": "3", "aws:ResourceTag/b": "x" })).toBe("implicit-deny");
    expect(run({ "aws:ResourceTag/a": "1" })).toBe("implicit-deny");
  });

  test("condition key names are case-insensitive", () => {
    expect(operatorHolds("StringEquals", ["owned"], ["owned"])).toBe(true);
    const p = doc({ Effect: "Allow", Action: "ec2:*", Resource: "*", Condition: { StringEquals: { "AWS:ResourceTag/A": "1" } } });
    expect(evaluate([p], { action: "ec2:X", resource: "*", context: { "aws:resourcetag/A": "1" } }).decision).toBe("allow");
  });

  test.each([
    ["StringEquals", ["a"], ["a"], true],
    ["StringEquals", ["A"], ["a"], false],
    ["StringEqualsIgnoreCase", ["A"], ["a"], true],
    ["StringNotEquals", ["a"], ["b"], true],
    ["StringLike", ["karpenter-1"], ["karpenter-*"], true],
    ["StringLike", ["other"], ["karpenter-*"], false],
    ["StringNotLike", ["other"], ["karpenter-*"], true],
    ["ArnLike", ["arn:aws:iam::1:role/x"], ["arn:aws:iam::*:role/*"], true],
    ["ArnNotLike", ["arn:aws:iam::1:role/x"], ["arn:aws:iam::*:role/*"], false],
    ["ArnEquals", ["arn:aws:iam::1:role/x"], ["arn:aws:iam::1:role/x"], true],
    ["Bool", ["true"], ["true"], true],
    ["Bool", ["false"], ["true"], false],
    ["NumericLessThanEquals", ["3"], ["5"], true],
    ["NumericGreaterThan", ["3"], ["5"], false],
  ])("%s %j vs %j → %s", (op, actual, expected, result) => {
    expect(operatorHolds(op as string, actual as string[], expected as string[])).toBe(result);
  });

  test("a missing key fails positive operators and satisfies negated ones and IfExists", () => {
    expect(operatorHolds("StringEquals", undefined, ["a"])).toBe(false);
    expect(operatorHolds("StringNotEquals", undefined, ["a"])).toBe(true);
    expect(operatorHolds("StringEqualsIfExists", undefined, ["a"])).toBe(true);
    expect(operatorHolds("StringEqualsIfExists", ["b"], ["a"])).toBe(false);
  });

  test("Null tests presence", () => {
    expect(operatorHolds("Null", undefined, ["true"])).toBe(true);
    expect(operatorHolds("Null", ["x"], ["true"])).toBe(false);
    expect(operatorHolds("Null", undefined, ["false"])).toBe(false);
    expect(operatorHolds("Null", ["x"], ["false"])).toBe(true);
  });

  test("ForAnyValue needs one match; ForAllValues needs every value to match and is vacuously true", () => {
    expect(operatorHolds("ForAnyValue:StringEquals", ["a", "z"], ["a", "b"])).toBe(true);
    expect(operatorHolds("ForAnyValue:StringEquals", ["y", "z"], ["a", "b"])).toBe(false);
    expect(operatorHolds("ForAnyValue:StringEquals", undefined, ["a"])).toBe(false);
    expect(operatorHolds("ForAllValues:StringEquals", ["a", "b"], ["a", "b", "c"])).toBe(true);
    expect(operatorHolds("ForAllValues:StringEquals", ["a", "z"], ["a", "b"])).toBe(false);
    expect(operatorHolds("ForAllValues:StringEquals", undefined, ["a"])).toBe(true);
    expect(operatorHolds("ForAllValues:StringLike", ["karpenter.sh/a", "karpenter.sh/b"], ["karpenter.sh/*"])).toBe(true);
  });

  test("an operator it does not know is refused, not guessed", () => {
    expect(() => operatorHolds("DateGreaterThan", ["2020-01-01"], ["2019-01-01"])).toThrow(UnsupportedCondition);
  });
});

test("allowsSomewhere over-approximates: any Allow that names the action, whatever its resource or condition", () => {
  const p = doc(
    { Effect: "Allow", Action: "ce:Get*", Resource: "*" },
    { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/x/*", Condition: { Bool: { "aws:SecureTransport": "true" } } },
  );
  expect(allowsSomewhere([p], "ce:GetCostAndUsage")).toHaveLength(1);
  expect(allowsSomewhere([p], "s3:PutObject")).toHaveLength(1);
  expect(allowsSomewhere([p], "ce:CreateCostCategoryDefinition")).toHaveLength(0);
});
