import type { Store } from "@drumbeat/store";

/**
 * Gives the DORA benchmark's history (bench/dora/generate.ts: every deployment rolling,
 * three commits, no artifact) what the insights read, in SQL:
 * - batches of 1, 2, 4, … 64 commits (as many of each), failures a little likelier for big ones;
 * - strategies: a quarter canary, a tenth blue_green, the rest rolling;
 * - an artifact per version, and 70% of versions deployed to staging two hours before
 *   production (3% of those as another artifact: rebuilds);
 * - canary steps 1 → 5 → 25 → 50 → 100, ten minutes apart, cut short for failed canaries.
 */
export async function reshapeForInsights(store: Store): Promise<void> {
  const canary = "cityHash64(deployment_id, 21) % 100 < 25";
  await store.command("bench.insights.events", `ALTER TABLE deployment_events UPDATE
      commit_count = toUInt32(exp2(cityHash64(deployment_id, 20) % 7)),
      strategy = multiIf(${canary}, 'canary', cityHash64(deployment_id, 21) % 100 < 35, 'blue_green', 'rolling'),
      artifact = concat('img@', version)
    WHERE 1 SETTINGS mutations_sync = 1`);
  await store.command("bench.insights.deployments", `ALTER TABLE deployments UPDATE
      strategy = multiIf(${canary}, 'canary', cityHash64(deployment_id, 21) % 100 < 35, 'blue_green', 'rolling'),
      artifact = concat('img@', version)
    WHERE 1 SETTINGS mutations_sync = 1`);
  await store.command("bench.insights.canarySteps", `INSERT INTO deployment_events
    (event_id, deployment_id, occurred_at, service, environment, team, source, version, artifact, status, strategy, canary_weight, kind, rolls_back, url, actor, commit_count)
    SELECT concat(deployment_id, ':w', toString(w)), deployment_id, status_at - toIntervalMinute(10 * (5 - j)), service, environment, team, source,
      version, concat('img@', version), 'started', 'canary', w, kind, rolls_back, '', actor, toUInt32(exp2(cityHash64(deployment_id, 20) % 7))
    FROM deployments FINAL
    ARRAY JOIN [1, 5, 25, 50, 100] AS w, [1, 2, 3, 4, 5] AS j
    WHERE ${canary} AND (status = 'succeeded' OR j <= 1 + cityHash64(deployment_id, 22) % 3)`);
  await store.command("bench.insights.staging", `INSERT INTO deployments
    (deployment_id, service, environment, team, source, version, artifact, status, status_at, strategy, kind, rolls_back, url, actor, row_version)
    SELECT concat(deployment_id, '-stg'), service, 'staging', team, source, version,
      if(cityHash64(deployment_id, 23) % 100 < 3, concat('img@', version, '-staging'), concat('img@', version)),
      'succeeded', status_at - toIntervalHour(2), 'rolling', 'normal', '', '', actor, 1
    FROM deployments FINAL
    WHERE environment = 'production' AND cityHash64(deployment_id, 24) % 10 < 7`);
  for (const table of ["deployments", "deployment_events"]) await store.command("bench.optimize", `OPTIMIZE TABLE ${table} FINAL`);
}
