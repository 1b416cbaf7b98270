import { Testing, TerraformStack } from "cdktf";
import { EncryptedLogGroup } from "../../constructs/encrypted-log-group";
import { parsePolicy, resourcesOfType } from "../helpers/terraform-json";

function synth(props: Partial<ConstructorParameters<typeof EncryptedLogGroup>[2]> = {}): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new EncryptedLogGroup(stack, "logs", {
    logGroupName: "/aws/example/logs",
    keyAlias: "example-logs",
    retentionInDays: 120,
    region: "eu-central-1",
    accountId: "123456789012",
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    ...props,
  });
  return JSON.parse(Testing.synth(stack));
}

describe("encrypted log group", () => {
  test("retention and its own key on the log group (CW-01)", () => {
    const [group] = Object.values<any>(resourcesOfType(synth(), "aws_cloudwatch_log_group"));
    expect(group.name).toBe("/aws/example/logs");
    expect(group.retention_in_days).toBe(120);
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\.[^}]+\.arn\}$/);
  });

  test("the key lets the regional CloudWatch Logs service use it only for this log group (KMS-02)", () => {
    const [key] = Object.values<any>(resourcesOfType(synth(), "aws_kms_key"));
    const logs = parsePolicy(key.policy).Statement.find((s: any) => s.Principal?.Service);
    expect(logs).toEqual({
      Sid: "CloudWatchLogsEncryptsThisLogGroup",
      Effect: "Allow",
      Principal: { Service: "logs.eu-central-1.amazonaws.com" },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-central-1:123456789012:log-group:/aws/example/logs" } },
    });
  });

  test("protected: both the log group and its key refuse destroy", () => {
    const stack = synth({ protected: true });
    for (const type of ["aws_cloudwatch_log_group", "aws_kms_key"]) {
      for (const r of Object.values<any>(resourcesOfType(stack, type))) expect(r.lifecycle).toEqual({ prevent_destroy: true });
    }
    for (const r of Object.values<any>(resourcesOfType(synth(), "aws_cloudwatch_log_group"))) expect(r.lifecycle).toBeUndefined();
  });
});
