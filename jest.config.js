/** Tests run through @swc/jest (no type-checking); `tsc --noEmit` type-checks once. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  testTimeout: 120000,
  maxWorkers: 2,
  // Every environment is synthesized once per run and shared by the test files (test/helpers/synth-cache.ts).
  globalSetup: "<rootDir>/test/helpers/synth-cache.ts",
  // Token stack traces without source maps; errors keep them (test/helpers/token-stack-traces.ts).
  setupFilesAfterEnv: ["<rootDir>/test/helpers/token-stack-traces.ts"],
  globalTeardown: "<rootDir>/test/helpers/synth-cache-teardown.ts",
  testSequencer: "<rootDir>/test/helpers/sequencer.js",
  // Failures in full and jest's summary, then one line per tier (test/helpers/tier-reporter.js).
  reporters: [["summary", { summaryThreshold: 0 }], "<rootDir>/test/helpers/tier-reporter.js"],
};
