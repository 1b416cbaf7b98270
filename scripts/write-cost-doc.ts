/** npm run docs: rewrites the generated cost block of docs/cost.md from the review's computation. */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadEnvironments } from "../config/load";
import { costDocBlock, replaceBlock } from "../review/cost-doc";
import { buildReview } from "../review/report";
import { synthesizeProject } from "../review/synth-output";

const root = path.resolve(__dirname, "..");
const env = loadEnvironments(root, "dev")[0];
const dev = buildReview({ name: "dev", current: synthesizeProject(root, "dev").get("dev") });
const file = path.join(root, "docs/cost.md");
fs.writeFileSync(file, replaceBlock(fs.readFileSync(file, "utf8"), costDocBlock(dev, env)));
process.stdout.write(`docs/cost.md: dev baseline $${dev.monthlyCostUsd.toFixed(2)}/month\n`);
