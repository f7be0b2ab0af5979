// Mutation testing (StrykerJS, command runner): `npm run mutate` runs every scope below,
// one Stryker run each; `MUTATE=events npm run mutate` runs one. Each mutant is tested by
// node's test runner over the pure tests of its package (no engine or server; the CLI's git tests run git), so
// a scope takes minutes on an idle machine (MUTATE_FILES narrows it). Not part of `npm test`. Reports: reports/mutation/<scope>.html and .json
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
    mutate: ["packages/cli/src/deploymentEvent.ts", "packages/cli/src/ciEnvironment.ts", "packages/cli/src/gitCommits.ts"],
    tests: "packages/cli/test/ciEnvironment.test.ts packages/cli/test/deploymentEvent.test.ts",
  },
  analysis: {
    mutate: [
      "packages/analysis/src/dora/{buckets,figures,thresholds,definitions}.ts",
      "packages/analysis/src/correlation/{statistics,compare,gate,settings,verdict}.ts",
      "packages/analysis/src/metrics/{buckets,streams}.ts",
      "packages/analysis/src/digest/week.ts",
    ],
    tests: ["helpers", "correlation-statistics", "correlation-gate", "metrics-mapping", "week"].map((name) => `packages/analysis/test/${name}.test.ts`).join(" "),
  },
};

const scope = process.env.MUTATE ?? "events";
const selected = SCOPES[scope];
if (!selected) throw new Error(`MUTATE=${scope}: one of ${Object.keys(SCOPES).join(", ")}`);

export default {
  testRunner: "command",
  // MUTATE_TESTS overrides the tests (e.g. to measure a score before new tests).
  // All in one process (scripts/test-in-one-process.mjs): one tsx start per mutant, not one per file.
  commandRunner: { command: `node --import tsx scripts/test-in-one-process.mjs ${process.env.MUTATE_TESTS ?? selected.tests}` },
  // MUTATE_FILES narrows a scope to some of its files (comma-separated globs).
  mutate: process.env.MUTATE_FILES?.split(",") ?? selected.mutate,
  coverageAnalysis: "off",
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  timeoutMS: 10_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${scope}.html` },
  jsonReporter: { fileName: `reports/mutation/${scope}.json` },
  thresholds: { high: 90, low: 80, break: null },
  ignorePatterns: [".stryker-tmp", "apps", "bench", "docs", "reports", "**/.turbo", "**/.next", "**/dist", ".drumbeat"],
  tempDirName: `.stryker-tmp/${scope}`,
  cleanTempDir: true,
};
