/**
 * Jest's own order (failed first, then slowest first by the timings of the
 * last run), except that on a machine with no timings yet (a CI checkout)
 * the files that drive real toolchains (terraform, the cdktf CLI, npm
 * scripts) start first instead of by file size, so the long ones never
 * begin last and leave one core idle at the end of the run.
 */
const Sequencer = require("@jest/test-sequencer").default;

const TOOLCHAIN_TIERS = /[\\/]test[\\/](terraform|scripts)[\\/]/;

class ToolchainTiersFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const early = (test) => test.duration == null && TOOLCHAIN_TIERS.test(test.path);
    return [...sorted.filter(early), ...sorted.filter((test) => !early(test))];
  }
}

module.exports = ToolchainTiersFirst;
