/**
 * The reference data the tests read is what `npm run fetch-reference` would
 * fetch: every local file is in the manifest with its sha256, every source
 * is pinned (an exact chart version, a URL at a commit), and a changed or
 * extra file is caught.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ReferenceManifest, listFiles, readManifest, sha256, sourceOf, verifyTree } from "../../scripts/fetch-reference";
import { announceReferenceSkip, referenceDir } from "../helpers/reference";

const manifest = readManifest();

test("every file has exactly one pinned source", () => {
  const files = Object.keys(manifest.files);
  expect(files.length).toBeGreaterThan(0);
  expect(files.filter((f) => !sourceOf(manifest, f))).toEqual([]);
  for (const source of manifest.sources) {
    if ("helm" in source) {
      expect({ prefix: source.prefix, version: source.helm.version }).toEqual({ prefix: source.prefix, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
      expect(source.helm.repository).toMatch(/^(oci|https):\/\//);
    } else if ("url" in source) {
      // A commit in the URL, never a branch that moves.
      expect({ prefix: source.prefix, url: source.url }).toEqual({
        prefix: source.prefix,
        url: expect.stringMatching(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{12,40}\//),
      });
    }
    // Every source is used by some file.
    expect({ prefix: source.prefix, used: files.some((f) => sourceOf(manifest, f) === source) }).toEqual({ prefix: source.prefix, used: true });
  }
});

const reference = referenceDir();
if (!reference) {
  announceReferenceSkip("reference manifest against the local reference data");
} else {
  test("the local reference data matches the manifest file for file", () => {
    expect(verifyTree(reference, manifest)).toEqual([]);
  });
}

test("a changed, a missing and an unlisted file are each reported", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-reference-check-"));
  try {
    fs.mkdirSync(path.join(dir, "compat"));
    fs.writeFileSync(path.join(dir, "compat/a.json"), "{}\n");
    fs.writeFileSync(path.join(dir, "compat/b.json"), "[]\n");
    fs.writeFileSync(path.join(dir, "extra.md"), "x\n");
    const small: ReferenceManifest = {
      sources: [{ prefix: "compat/", curated: true }],
      files: { "compat/a.json": sha256("{}\n"), "compat/b.json": sha256("{}\n"), "compat/c.json": sha256("") },
    };
    expect(listFiles(dir)).toEqual(["compat/a.json", "compat/b.json", "extra.md"]);
    expect(verifyTree(dir, small)).toEqual([
      `compat/b.json: sha256 ${sha256("[]\n")}; expected ${sha256("{}\n")}`,
      "compat/c.json: missing",
      "extra.md: not in the manifest",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
