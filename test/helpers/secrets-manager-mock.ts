/**
 * A local AWS Secrets Manager for the terraform tier: the operations the AWS
 * provider 5.100.0 calls for aws_secretsmanager_secret(_version) and the
 * ephemeral aws_secretsmanager_secret_version / random_password. It runs in
 * a child process, so it serves while terraform runs synchronously, and
 * records every operation.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface SecretsManagerMock {
  readonly url: string;
  /** `Operation SecretId` per request, in order. */
  requests(): string[];
  stop(): void;
}

/** `preset`: secrets that exist already (name → value); `generated`: what GetRandomPassword returns. */
export function startSecretsManagerMock(preset: Record<string, string>, generated = "generated-value"): SecretsManagerMock {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-secretsmanager-"));
  const requestsFile = path.join(dir, "requests");
  const script = `
    const http = require("node:http"); const fs = require("node:fs");
    const secrets = {}; let n = 0;
    for (const [name, value] of Object.entries(${JSON.stringify(preset)})) {
      const arn = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:" + name + "-Preset";
      secrets[arn] = { ARN: arn, Name: name, Tags: [], versions: { v0: value } };
    }
    const find = (id) => Object.values(secrets).find((s) => s.Name === id || s.ARN === id);
    http.createServer((req, res) => {
      let body = ""; req.on("data", (c) => (body += c)); req.on("end", () => {
        const op = String(req.headers["x-amz-target"] || "").split(".").pop(); const b = JSON.parse(body || "{}");
        fs.appendFileSync(${JSON.stringify(requestsFile)}, op + " " + (b.SecretId || b.Name || "") + "\\n");
        const send = (code, o) => { res.writeHead(code, { "content-type": "application/x-amz-json-1.1" }); res.end(JSON.stringify(o)); };
        const ok = (o) => send(200, o);
        const notFound = () => send(400, { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." });
        const s = find(b.SecretId);
        switch (op) {
          case "GetRandomPassword": return ok({ RandomPassword: ${JSON.stringify(generated)} });
          case "CreateSecret": {
            const arn = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:" + b.Name + "-Ab" + (n++);
            secrets[arn] = { ARN: arn, Name: b.Name, Description: b.Description, KmsKeyId: b.KmsKeyId, Tags: b.Tags || [], versions: {} };
            return ok({ ARN: arn, Name: b.Name });
          }
          case "DescribeSecret": {
            if (!s) return notFound();
            const stages = Object.fromEntries(Object.keys(s.versions).map((v) => [v, ["AWSCURRENT"]]));
            return ok({ ARN: s.ARN, Name: s.Name, Description: s.Description, KmsKeyId: s.KmsKeyId, Tags: s.Tags, VersionIdsToStages: stages });
          }
          case "GetResourcePolicy": return s ? ok({ ARN: s.ARN, Name: s.Name }) : notFound();
          case "PutSecretValue": {
            if (!s) return notFound();
            const v = "v" + (n++); s.versions[v] = b.SecretString;
            return ok({ ARN: s.ARN, Name: s.Name, VersionId: v, VersionStages: ["AWSCURRENT"] });
          }
          case "GetSecretValue": {
            if (!s) return notFound();
            const v = b.VersionId || Object.keys(s.versions).pop();
            if (!v) return notFound();
            return ok({ ARN: s.ARN, Name: s.Name, VersionId: v, SecretString: s.versions[v], VersionStages: ["AWSCURRENT"], CreatedDate: 1700000000 });
          }
          default: return send(400, { __type: "InvalidRequestException", message: "unsupported " + op });
        }
      });
    }).listen(0, "127.0.0.1", function () { fs.writeFileSync(${JSON.stringify(path.join(dir, "port"))}, String(this.address().port)); });
  `;
  const child = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
  const portFile = path.join(dir, "port");
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 100 && !fs.existsSync(portFile); i++) Atomics.wait(pause, 0, 0, 100);
  if (!fs.existsSync(portFile)) throw new Error("the local Secrets Manager did not start");
  return {
    url: `http://127.0.0.1:${fs.readFileSync(portFile, "utf8")}`,
    requests: () => (fs.existsSync(requestsFile) ? fs.readFileSync(requestsFile, "utf8").split("\n").filter(Boolean) : []),
    stop: () => {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Offline AWS provider settings for the mock; {@link mockEndpointEnvironment} points Secrets Manager at it. */
export function providerForMock(region: string): Record<string, unknown> {
  return {
    region,
    access_key: "mock-access-key",
    secret_key: "mock-secret-key",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
  };
}

/**
 * The service endpoint as the AWS SDK's `AWS_ENDPOINT_URL_<SERVICE>`
 * variable, which the provider honours like its `endpoints` block: an
 * `endpoints` block makes every provider configuration check take about 3 s
 * longer (measured with 5.100.0), and each terraform command checks it.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export function mockEndpointEnvironment(mock: SecretsManagerMock): NodeJS.ProcessEnv {
  return { AWS_ENDPOINT_URL_SECRETS_MANAGER: mock.url };
}
