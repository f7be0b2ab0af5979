import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { TestApi } from "./helpers.ts";
import { FUZZ_TARGETS, exercise, type FuzzApi } from "./fuzz/harness.ts";
import { FUZZ_RUNS, FUZZ_SEED, startFuzzApi } from "./fuzz/run.ts";

// Property: whatever arrives, the answer is 2xx or 4xx; a 4xx writes nothing; a 2xx makes
// every event it acknowledges readable. Seeded: a failure prints the seed and path to replay.
describe("fuzz: every ingest route answers 2xx or 4xx, writes nothing on 4xx, and stores readable events on 2xx", () => {
  let api: TestApi;
  let fuzz: FuzzApi;
  before(async () => ({ api, fuzz } = await startFuzzApi("fuzz")));
  after(() => api.dispose());

  for (const target of FUZZ_TARGETS) {
    it(target.name, async () => {
      await fc.assert(
        fc.asyncProperty(target.requests, async (request) => {
          const outcome = await exercise(fuzz, request);
          assert.deepEqual(outcome.problems, [], `${request.path} ${JSON.stringify(request.headers)} ${request.body.toString("utf8").slice(0, 500)}`);
        }),
        { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
      );
    });
  }
});
