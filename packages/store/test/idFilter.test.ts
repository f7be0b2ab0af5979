import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { IdFilter } from "../src/ingest/idFilter.ts";

describe("the journal's id filter", () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}:${(i * 2654435761 >>> 0).toString(16)}-${i}`);

  it("never rules out an id it was given, and rules out about 99% of the others at capacity", () => {
    const filter = new IdFilter(50_000);
    const added = ids("deployment", 50_000);
    for (const id of added) filter.add(id);
    assert.equal(added.filter((id) => !filter.mightHave(id)).length, 0);
    const falsePositives = ids("incident", 50_000).filter((id) => filter.mightHave(id)).length;
    assert.ok(falsePositives < 50_000 * 0.02, `${falsePositives} of 50,000 absent ids read as present`);
    assert.equal(filter.full, false);
  });

  it("stays right past its capacity, saying so", () => {
    const filter = new IdFilter(1_000);
    const added = ids("usecase", 20_000);
    for (const id of added) filter.add(id);
    assert.equal(filter.full, true);
    assert.equal(added.filter((id) => !filter.mightHave(id)).length, 0);
  });
});
