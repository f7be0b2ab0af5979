import type { Store } from "@drumbeat/store";
import { listDeployments, listIncidents } from "@drumbeat/store";
import type { DoraSettings } from "../dora/definitions.ts";
import { regressedDeployments } from "../correlation/regressed.ts";
import { doraFailures, doraGroups, doraLeadTimes, doraSummary, doraTimeseries } from "../dora/report.ts";
import { DEFAULT_USECASE_SETTINGS } from "../usecases/attribution.ts";
import { listUsecases } from "../usecases/report.ts";
import type { BrokenUsecase, Digest } from "./schemas.ts";
import { weekRange } from "./week.ts";

const LIST_LIMIT = 50;

/**
 * Everything one week's digest says, for everyone or one team, from the same reads the API
 * serves (so its figures equal GET /api/v1/dora for the week): the production environment.
 */
export async function collectDigest(store: Store, week: string, team: string | undefined, settings: DoraSettings): Promise<Digest> {
  const range = weekRange(week);
  const scope = { team, from: range.from.toISOString(), to: range.to.toISOString() };
  const summary = await doraSummary(store, scope, settings);
  const daily = await doraTimeseries(store, scope, "day", settings);
  const { groups } = await doraGroups(store, scope, "service", settings);
  const { failures } = await doraFailures(store, { ...scope, limit: LIST_LIMIT }, settings);
  const { commits } = await doraLeadTimes(store, { ...scope, limit: 5 }, settings);
  const environment = summary.range.environment;
  // Rollbacks are few; the week's deployments are read newest first and the rollbacks kept.
  const { deployments } = await listDeployments(store, { ...scope, environment, limit: 500 });
  const incidents = await listIncidents(store, { ...scope, environment, limit: LIST_LIMIT });
  // A team's digest: the regressions of the services it deployed this week.
  const teamServices = new Set(groups.map((group) => group.key));
  const regressions = (await regressedDeployments(store, { environment, from: scope.from, to: scope.to }))
    .filter((deployment) => team === undefined || teamServices.has(deployment.service)).slice(0, LIST_LIMIT);
  return {
    week,
    team: team ?? null,
    range: { from: scope.from, to: scope.to },
    environment,
    summary,
    days: daily.points.map((p) => ({
      start: p.start, deployments: p.deploymentFrequency.count, total: p.changeFailureRate.total, failed: p.changeFailureRate.failed,
    })),
    services: groups.map(({ key, ...figures }) => ({ service: key, figures })),
    failures,
    rollbacks: deployments.filter((d) => d.kind === "rollback"),
    incidents,
    slowestLeadTimes: commits,
    regressions,
    brokenUsecases: await brokenUsecases(store, environment, [...teamServices], settings),
  };
}

/** The broken use cases of `services`, each blamed on a deployment (see BrokenUsecase). */
async function brokenUsecases(store: Store, environment: string, services: string[], settings: DoraSettings): Promise<BrokenUsecase[]> {
  const usecaseSettings = { ...DEFAULT_USECASE_SETTINGS, ...settings.countUsecaseBreaks };
  const broken: BrokenUsecase[] = [];
  for (const service of services) {
    for (const state of await listUsecases(store, { service, environment }, usecaseSettings)) {
      if (state.status === "pass" || state.flaky || !state.breaking) continue;
      const { usecase, suite, brokenSince, breaking, culprit, suspects } = state;
      broken.push({ service, usecase, suite, brokenSince, breaking, culprit, suspects: suspects.length });
    }
  }
  return broken.sort((a, b) => (a.brokenSince ?? "").localeCompare(b.brokenSince ?? "")).slice(0, LIST_LIMIT);
}
