import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { environmentJsonSchema, valuesJsonSchema } from "../../config/json-schema";
import { PROJECT_ROOT } from "../helpers/synth";

const committed = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "environments/schema.json"), "utf8"));
const envFiles = fs.readdirSync(path.join(PROJECT_ROOT, "environments")).filter((f) => f.endsWith(".yaml"));

test("environments/schema.json is up to date with the zod schema (run `npm run schema`)", () => {
  expect(committed).toEqual(JSON.parse(JSON.stringify(environmentJsonSchema())));
});

test.each(envFiles)("%s points editors at the schema and validates against it", (file) => {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, "environments", file), "utf8");
  expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./schema.json");
  const validate = new Ajv({ strict: false }).compile(committed);
  expect(validate(parse(text))).toBe(true);
});

test("the JSON schema rejects what the loader rejects: an unknown key", () => {
  const validate = new Ajv({ strict: false }).compile(committed);
  expect(validate({ accountId: "123456789012", region: "us-east-1", availabilityZones: ["us-east-1a", "us-east-1b"], regoin: "x" })).toBe(false);
});

describe("helm-values/schema.json", () => {
  const valuesSchema = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "helm-values/schema.json"), "utf8"));
  const valuesFiles = fs.readdirSync(path.join(PROJECT_ROOT, "helm-values")).filter((f) => f.endsWith(".yaml"));

  test("is up to date with the values contract (run `npm run schema`)", () => {
    expect(valuesSchema).toEqual(JSON.parse(JSON.stringify(valuesJsonSchema())));
  });

  test("every example environment has a values file", () => {
    expect(valuesFiles.map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual(envFiles.map((f) => f.replace(/\.yaml$/, "")).sort());
  });

  test.each(valuesFiles)("%s points editors at the schema and validates against it", (file) => {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, "helm-values", file), "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./schema.json");
    const validate = new Ajv({ strict: false }).compile(valuesSchema);
    expect(validate(parse(text) ?? {})).toBe(true);
  });

  test("rejects what the loader rejects: a wired key and a typo", () => {
    const validate = new Ajv({ strict: false }).compile(valuesSchema);
    expect(validate({ s3: { bucket: "x" } })).toBe(false);
    expect(validate({ gateway: { indexNamspace: "x" } })).toBe(false);
  });
});
