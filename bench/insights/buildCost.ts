import { z } from "zod";
import type { Store } from "@drumbeat/store";
import { DEFAULT_DORA_SETTINGS } from "@drumbeat/analysis";
import { OUTCOMES_CTE } from "../../packages/analysis/src/dora/sql/outcomes.ts";
import { RELEASED_CTE } from "../../packages/analysis/src/insights/sql/facts.ts";

/**
 * What the insights' columns add to a facts build: the rows of one build chunk (50
 * services, SERVICES_PER_BUILD in dora/facts.ts) computed with the DORA rules alone and
 * with the insights' CTE after them, every column hashed so that none is skipped.
 */
export async function buildCost(store: Store, runs: number): Promise<{ withoutMs: number; withMs: number; runs: number }> {
  const params = {
    environment: "production", services: Array.from({ length: 50 }, (_, i) => `svc-${i}`),
    windowSeconds: DEFAULT_DORA_SETTINGS.incidentWindowHours * 3600, detectRollbacks: true,
  };
  const time = async (name: string, sql: string) => {
    const ms: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const started = performance.now();
      await store.query({ name, sql, params, rows: z.object({ h: z.number() }) });
      if (i > 0) ms.push(performance.now() - started);
    }
    return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
  };
  const withoutMs = await time("bench.build.outcomes", `WITH ${OUTCOMES_CTE} SELECT toFloat64(sum(cityHash64(*))) AS h FROM outcomes`);
  const withMs = await time("bench.build.released", `WITH ${OUTCOMES_CTE}, ${RELEASED_CTE} SELECT toFloat64(sum(cityHash64(*))) AS h FROM released`);
  return { withoutMs, withMs, runs };
}
