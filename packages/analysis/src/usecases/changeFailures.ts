import type { Store } from "@drumbeat/store";
import type { FlakySettings } from "./attribution.ts";
import { ALL_TIME, readRuns } from "./queries.ts";
import { walkEach } from "./report.ts";

/** The use-case breaks a DORA facts build counts as change failures, as sql/outcomes.ts binds them (one entry per break). */
export interface UsecaseBreakParams {
  breakingIds: string[];
  brokenUsecases: string[];
  fixingIds: string[];
}

/**
 * DRUMBEAT_CFR_COUNT_USECASE_BREAKS: every break of a use case of the services that is
 * not flaky, over their whole history, by the rules of the use-case pages
 * (docs/usecases.md): the breaking deployment, and the fixing one ('' while broken). A
 * use case failing since its first run broke nothing. Nothing when `flaky` is unset (the
 * flag is off).
 */
export async function usecaseBreakParams(
  store: Store, environment: string, services: string[], flaky: FlakySettings | undefined,
): Promise<UsecaseBreakParams> {
  const params: UsecaseBreakParams = { breakingIds: [], brokenUsecases: [], fixingIds: [] };
  if (!flaky) return params;
  for (const service of services) {
    const runs = await readRuns(store, { service, environment }, { usecases: [], window: ALL_TIME, everyLast: 0 });
    for (const { usecase, walk } of walkEach(runs, flaky)) {
      for (const found of walk.breaks) {
        if (found.flaky) continue;
        params.breakingIds.push(found.breaking.deploymentId);
        params.brokenUsecases.push(usecase);
        params.fixingIds.push(found.fixing?.deploymentId ?? "");
      }
    }
  }
  return params;
}
