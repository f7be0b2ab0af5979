import type { Store } from "@drumbeat/store";

/**
 * Synthetic history written inside ClickHouse with INSERT ... SELECT FROM numbers(),
 * straight into the typed tables the DORA queries read (the `events` journal and its
 * views are the ingest path, measured by bench/ingest.ts, not here).
 *
 * Deployment n belongs to service n % 500 and happens at START + n * step, so each
 * service deploys about every 500 steps; 5% fail, 3% are rolled back by status, 3% are
 * rollbacks of the service's previous deployment, 4% hotfixes. Three commits each,
 * authored up to 72 h before. Incidents open at random times, 30% naming a deployment.
 * One pull request per deployment, carrying its first commit: opened 2 to 14 h before
 * the deployment, merged 10 minutes before it, reviewed and approved in between (15% are
 * merged without a review).
 */
export const START = "2023-01-01 00:00:00";
export const END = "2026-01-01 00:00:00";
const SPAN_MS = Date.parse("2026-01-01T00:00:00Z") - Date.parse("2023-01-01T00:00:00Z");

export interface Scale {
  deployments: number;
  incidents: number;
  flags: number;
  pullRequests: number;
}

export function scaleOf(factor: number): Scale {
  return {
    deployments: Math.round(10_000_000 * factor), incidents: Math.round(200_000 * factor), flags: Math.round(50_000 * factor),
    pullRequests: Math.round(10_000_000 * factor),
  };
}

export async function generate(store: Store, scale: Scale): Promise<void> {
  const N = scale.deployments;
  const step = SPAN_MS / N;
  const at = (n: string) => `toDateTime64('${START}', 3, 'UTC') + toIntervalMillisecond(toUInt64(${n} * ${step}))`;
  const p = { n: N, incidents: scale.incidents, flags: scale.flags };
  // The events' views would note that every service changed; without events, say so here.
  await store.command("bench.changes", `INSERT INTO dora_changes (environment, service, changed_at)
    SELECT 'production', concat('svc-', toString(number)), now64(3) FROM numbers(500)`);
  await store.command("bench.deployments", `INSERT INTO deployments
    (deployment_id, service, environment, team, source, version, artifact, status, status_at, strategy, kind, rolls_back, url, actor, row_version)
    SELECT concat('d', toString(number)), concat('svc-', toString(number % 500)), 'production',
      concat('team-', toString(number % 40)), 'bench', lower(hex(cityHash64(number))), '',
      multiIf(cityHash64(number, 1) % 100 < 5, 'failed', cityHash64(number, 1) % 100 < 8, 'rolled_back', 'succeeded'),
      ${at("number")}, 'rolling',
      multiIf(cityHash64(number, 2) % 100 < 3 AND number >= 500, 'rollback', cityHash64(number, 2) % 100 < 7, 'hotfix', 'normal'),
      if(cityHash64(number, 2) % 100 < 3 AND number >= 500, concat('d', toString(number - 500)), ''), '', 'bench', 1
    FROM numbers({n:UInt64})`, p);
  // The lifecycle: one event at the final status, and for rolled-back ones the success 10 minutes before.
  await store.command("bench.deploymentEvents", `INSERT INTO deployment_events
    (event_id, deployment_id, occurred_at, service, environment, team, source, version, artifact, status, strategy, kind, rolls_back, url, actor, commit_count)
    SELECT concat(deployment_id, ':', s), deployment_id, if(s = 'succeeded' AND status = 'rolled_back', status_at - toIntervalMinute(10), status_at),
      service, environment, team, source, version, '', s, strategy, kind, rolls_back, '', actor, 3
    FROM deployments
    ARRAY JOIN if(status = 'rolled_back', ['succeeded', 'rolled_back'], [status]) AS s`);
  await store.command("bench.commits", `INSERT INTO deployment_commits (environment, service, deployment_id, sha, authored_at, committed_at, author, message)
    SELECT 'production', concat('svc-', toString(d % 500)), concat('d', toString(d)), lower(hex(cityHash64(d, j))),
      ${at("d")} - toIntervalSecond(cityHash64(d, j, 7) % 259200), toDateTime64(0, 3, 'UTC'), 'dev', ''
    FROM (SELECT intDiv(number, 3) AS d, number % 3 AS j FROM numbers({n:UInt64} * 3))`, p);
  await store.command("bench.incidents", `INSERT INTO incident_events
    (event_id, incident_id, occurred_at, service, environment, team, source, status, severity, title, url, caused_by)
    SELECT concat('i', toString(i), ':', s), concat('i', toString(i)),
      opened + if(s = 'resolved', toIntervalSecond(3600 + cityHash64(i, 5) % 32400), toIntervalSecond(0)),
      concat('svc-', toString(cause % 500)), 'production', concat('team-', toString(cause % 500 % 40)), 'bench', s, 'sev2', '', '',
      if(s = 'opened' AND cityHash64(i, 6) % 100 < 30, concat('d', toString(cause)), '')
    FROM (SELECT number AS i, cityHash64(number, 3) % {n:UInt64} AS cause,
        ${at("cause")} + toIntervalSecond(cityHash64(number, 4) % 86400) AS opened FROM numbers({incidents:UInt64}))
    ARRAY JOIN ['opened', 'resolved'] AS s`, p);
  await store.command("bench.flags", `INSERT INTO flag_events (event_id, occurred_at, service, environment, team, flag, action, percentage, actor)
    SELECT concat('f', toString(number)), ${at("cityHash64(number, 8) % {n:UInt64}")} + toIntervalSecond(600),
      concat('svc-', toString(cityHash64(number, 8) % {n:UInt64} % 500)), 'production', '', 'kill-switch',
      if(number % 2 = 0, 'disabled', 'enabled'), -1, 'bench'
    FROM numbers({flags:UInt64})`, p);
  await store.command("bench.pullRequests", `INSERT INTO pull_request_events
    (event_id, occurred_at, service, team, repository, number, status, title, author, url, commits)
    SELECT concat('pr', toString(d), ':', s), multiIf(
        s = 'opened', deployed - toIntervalSecond(7200 + cityHash64(d, 9) % 43200),
        s = 'reviewed', deployed - toIntervalSecond(3600 + cityHash64(d, 10) % 3600),
        s = 'approved', deployed - toIntervalSecond(1800),
        deployed - toIntervalSecond(600)),
      concat('svc-', toString(d % 500)), concat('team-', toString(d % 40)), concat('acme/svc-', toString(d % 500)), d + 1, s, '', 'dev', '',
      [lower(hex(cityHash64(d, 0)))]
    FROM (SELECT number AS d, ${at("number")} AS deployed FROM numbers({pullRequests:UInt64}))
    ARRAY JOIN if(cityHash64(d, 11) % 100 < 15, ['opened', 'merged'], ['opened', 'reviewed', 'approved', 'merged']) AS s`,
    { pullRequests: Math.min(scale.pullRequests, N) });
  // The journal's view counts every event per service for the catalog (clickhouse/0075); without events, count them here.
  await store.command("bench.catalog", `INSERT INTO service_catalog (service, environment, team, last_event_at, events)
    SELECT service, environment, team, max(occurred_at), count() FROM (
      SELECT service, environment, team, occurred_at FROM deployment_events
      UNION ALL SELECT service, environment, team, occurred_at FROM incident_events
      UNION ALL SELECT service, environment, team, occurred_at FROM flag_events
      UNION ALL SELECT service, 'production', team, occurred_at FROM pull_request_events)
    GROUP BY service, environment, team`);
  // Steady state: background merges have caught up.
  for (const table of ["deployments", "deployment_events", "deployment_commits", "incident_events", "flag_events", "pull_request_events"]) {
    await store.command("bench.optimize", `OPTIMIZE TABLE ${table} FINAL`);
  }
}

/** CSV files for PostgreSQL's COPY, one per table, in the column order of postgres.ts. */
export const EXPORTS: Record<string, string> = {
  deployments: "SELECT deployment_id, service, environment, team, version, status, status_at, kind, rolls_back FROM deployments FINAL",
  deployment_events: "SELECT deployment_id, service, environment, status, occurred_at FROM deployment_events FINAL",
  deployment_commits: "SELECT environment, service, deployment_id, sha, authored_at FROM deployment_commits FINAL",
  incident_events: "SELECT incident_id, service, environment, status, occurred_at, caused_by FROM incident_events FINAL",
  flag_events: "SELECT service, environment, action, occurred_at FROM flag_events",
  commits: "SELECT service, sha, authored_at FROM commits FINAL",
};

export async function exportCsv(store: Store, dir: string): Promise<void> {
  for (const [table, sql] of Object.entries(EXPORTS)) {
    await store.command("bench.export", `${sql} INTO OUTFILE '${dir}/${table}.csv' TRUNCATE FORMAT CSV`);
  }
}
