/** Tests run through @swc/jest (no type-checking); `tsc --noEmit` type-checks once. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  testTimeout: 120000,
  maxWorkers: 2,
  // Failures in full and jest's summary, then one line per tier (test/helpers/tier-reporter.js).
  reporters: [["summary", { summaryThreshold: 0 }], "<rootDir>/test/helpers/tier-reporter.js"],
};
