// Mutation testing (StrykerJS, command runner): `npm run mutate` runs every scope below,
// one Stryker run each; `MUTATE=events npm run mutate` runs one. Each mutant is tested by
// node's test runner over the pure (no engine, no child process) tests of its package, so
// a run takes minutes on two cores. Not part of `npm test`. Reports: reports/mutation/<scope>.html
const SCOPES = {
  events: {
    mutate: ["packages/events/src/**/*.ts", "!packages/events/src/index.ts"],
    tests: "packages/events/test/*.test.ts",
  },
  collectors: {
    mutate: ["packages/collectors/src/**/*.ts", "!packages/collectors/src/index.ts"],
    tests: "packages/collectors/test/*.test.ts",
  },
  cli: {
    mutate: ["packages/cli/src/deploymentEvent.ts", "packages/cli/src/ciEnvironment.ts"],
    tests: "packages/cli/test/ciEnvironment.test.ts",
  },
  analysis: {
    mutate: ["packages/analysis/src/dora/{buckets,figures,thresholds,definitions}.ts"],
    tests: "packages/analysis/test/helpers.test.ts",
  },
};

const scope = process.env.MUTATE ?? "events";
const selected = SCOPES[scope];
if (!selected) throw new Error(`MUTATE=${scope}: one of ${Object.keys(SCOPES).join(", ")}`);

export default {
  testRunner: "command",
  // MUTATE_TESTS overrides the tests (e.g. to measure a score before new tests).
  commandRunner: { command: `node --import tsx --test --test-concurrency=1 ${process.env.MUTATE_TESTS ?? selected.tests}` },
  // MUTATE_FILES narrows a scope to some of its files (comma-separated globs).
  mutate: process.env.MUTATE_FILES?.split(",") ?? selected.mutate,
  coverageAnalysis: "off",
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  timeoutMS: 20_000,
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: `reports/mutation/${scope}.html` },
  thresholds: { high: 90, low: 80, break: null },
  ignorePatterns: [".stryker-tmp", "apps", "bench", "docs", "reports", "**/.turbo", "**/.next", "**/dist", ".drumbeat"],
  tempDirName: `.stryker-tmp/${scope}`,
  cleanTempDir: true,
};
