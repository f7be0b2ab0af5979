// Counts the fuzz's answers by status without stopping at the first problem:
//   DRUMBEAT_FUZZ_RUNS=300 node --import tsx apps/api/test/fuzz/survey.ts
import fc from "fast-check";
import { FUZZ_TARGETS, exercise } from "./harness.ts";
import { FUZZ_RUNS, FUZZ_SEED, startFuzzApi } from "./run.ts";

const { api, fuzz } = await startFuzzApi("survey");
const byStatus: Record<string, number> = {};
const problems: Record<string, Record<string, number>> = {};
try {
  for (const target of FUZZ_TARGETS) {
    for (const request of fc.sample(target.requests, { seed: FUZZ_SEED, numRuns: FUZZ_RUNS })) {
      const outcome = await exercise(fuzz, request);
      byStatus[outcome.status] = (byStatus[outcome.status] ?? 0) + 1;
      for (const problem of outcome.problems) {
        const kind = problem.replace(/[^\s:]*:[^\s]*:\d+|fuzz-\S+|[0-9a-f]{16,}/g, "<id>").slice(0, 120);
        (problems[target.name] ??= {})[kind] = (problems[target.name]![kind] ?? 0) + 1;
      }
    }
  }
} finally {
  await api.dispose();
}
const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ seed: FUZZ_SEED, runsPerTarget: FUZZ_RUNS, total, byStatus, problems }, null, 2));
