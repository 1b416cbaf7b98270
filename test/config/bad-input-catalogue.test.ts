/**
 * The bad-input catalogue (test/fixtures/bad-input): every case is refused
 * with a message naming the file and the field and containing the expected
 * fragment, and nothing is written. Each case runs through main.ts's steps
 * in this process, alone and selected (LAYER_ENV) among all the others; the
 * real app (`tsx main.ts`) runs once over every case, to prove the exit code,
 * the absence of a stack trace and that no cdktf.out (or CDKTF_OUTDIR) is
 * left behind. app.test.ts runs the app with LAYER_ENV.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BadInputCase, badInputCases, expectedLocation, runInProcess, runSelectedInProcess } from "../helpers/bad-input";
import { copyProject, runSynth } from "../helpers/project-copy";

const cases = badInputCases();

test("the catalogue holds at least 78 cases, each with one environment file (two where environments clash)", () => {
  expect(cases.length).toBeGreaterThanOrEqual(78);
  for (const c of cases) {
    const envFiles = c.files.filter((f) => f.startsWith("environments/")).length;
    expect({ name: c.name, envFiles }).toEqual({ name: c.name, envFiles: c.name.endsWith("-clash") ? 2 : 1 });
  }
});

describe.each(cases.map((c): [string, BadInputCase] => [c.name, c]))("%s", (_name, c) => {
  test("is refused naming the file and field, with the expected message, writing nothing", () => {
    const run = runInProcess(c);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(expectedLocation(c));
    expect(run.stderr).toContain(c.fragment);
    expect(run.stderr).toContain("expected");
    expect(run.wroteOutput).toBe(false);
  });
});

describe("a project holding every case", () => {
  const project = copyProject();
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));
  for (const c of cases)
    for (const f of c.files) {
      fs.mkdirSync(path.dirname(path.join(project, f)), { recursive: true });
      fs.copyFileSync(path.join(c.dir, f), path.join(project, f));
    }

  test("the real app refuses every catalogue file in one run: exit 1, one message per file, no output directory", () => {
    const run = runSynth(project, { CDKTF_OUTDIR: "out-bad" });
    expect(run.status).toBe(1);
    for (const c of cases) {
      expect(run.stderr).toContain(expectedLocation(c));
      expect(run.stderr).toContain(c.fragment);
    }
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(fs.existsSync(path.join(project, "out-bad"))).toBe(false);
    expect(fs.existsSync(path.join(project, "cdktf.out"))).toBe(false);
  });

  test.each(["protected-open-api", "alias-bomb", "file-too-large", "yml-extension"])(
    "selected alone among every other case (LAYER_ENV=%s): the message, and no cdktf.out",
    (name) => {
      const c = cases.find((x) => x.name === name)!;
      const run = runSelectedInProcess(project, name);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(expectedLocation(c));
      expect(run.stderr).toContain(c.fragment);
      // Only the selected file is reported, though every other case's file is beside it.
      expect(
        run.stderr
          .trimEnd()
          .split("\n")
          .slice(1)
          .filter((line) => !line.startsWith(`${c.file}:`)),
      ).toEqual([]);
      expect(run.wroteOutput).toBe(false);
    },
  );
});
