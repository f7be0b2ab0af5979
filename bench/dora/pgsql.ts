/**
 * The DORA definitions of packages/analysis (docs/dora.md) as PostgreSQL SQL, for the
 * comparison run. Benchmark constants only are inlined (as quoted literals).
 *
 * Rollbacks detected from versions are left out: the synthetic versions never repeat, so
 * that rule fails nothing in the benchmark's data (docs/dora.md).
 */
export interface PgScope {
  environment: string;
  service: string;
  team: string;
  scanFrom: Date;
  from: Date;
  to: Date;
  windowSeconds: number;
  /** '' for one group, or a date_trunc unit ('week'). */
  bucket: "" | "day" | "week" | "month";
}

const text = (value: string) => `'${value.replaceAll("'", "''")}'`;
const time = (value: Date) => `'${value.toISOString()}'::timestamptz`;

function keyAndPeriod(s: PgScope) {
  const key = s.bucket ? `to_char(date_trunc('${s.bucket}', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')` : "''";
  return `${key} AS key, CASE WHEN at >= ${time(s.from)} THEN 'current' ELSE 'previous' END AS period`;
}

export function outcomesSql(s: PgScope): string {
  const env = text(s.environment), svc = text(s.service), team = text(s.team), scanFrom = time(s.scanFrom);
  return `WITH prod AS MATERIALIZED (
  SELECT deployment_id, service, team, kind, rolls_back, status, status_at AS at,
    lead(kind) OVER (PARTITION BY service ORDER BY status_at, deployment_id) AS next_kind
  FROM deployments
  WHERE environment = ${env} AND (${svc} = '' OR service = ${svc}) AND status <> 'started' AND status_at >= ${scanFrom}
),
rollbacks AS (
  SELECT rolls_back AS target, min(at) FILTER (WHERE status = 'succeeded') AS completed_at
  FROM prod WHERE rolls_back <> '' GROUP BY rolls_back
),
incidents AS (
  SELECT incident_id, service, environment, min(occurred_at) AS opened_at,
    min(occurred_at) FILTER (WHERE status = 'resolved') AS resolved_at,
    (array_agg(caused_by ORDER BY (caused_by <> '') DESC, occurred_at DESC))[1] AS caused_by
  FROM incident_events WHERE (${svc} = '' OR service = ${svc})
  GROUP BY incident_id, service, environment HAVING min(occurred_at) >= ${scanFrom}
),
judged AS (
  -- One cause per incident: a causedBy naming a deployment that started at or before the opening, else none.
  SELECT i.incident_id, i.service, i.environment, i.opened_at, i.resolved_at,
    CASE WHEN i.caused_by <> '' AND (SELECT min(e.occurred_at) FROM deployment_events e
      WHERE e.environment = ${env} AND e.deployment_id = i.caused_by) <= i.opened_at THEN i.caused_by ELSE '' END AS caused_by
  FROM incidents i
),
incident_links AS (
  SELECT caused_by AS deployment_id, 'incident_caused_by' AS reason, opened_at, resolved_at FROM judged WHERE caused_by <> ''
  UNION ALL
  SELECT d.deployment_id, 'incident_in_window', i.opened_at, i.resolved_at
  FROM judged i
  CROSS JOIN LATERAL (
    SELECT p.deployment_id, p.status_at AS at FROM deployments p
    WHERE p.environment = ${env} AND p.service = i.service AND p.status <> 'started'
      AND p.status_at >= ${scanFrom} AND p.status_at <= i.opened_at
    ORDER BY p.status_at DESC LIMIT 1) d
  WHERE i.caused_by = '' AND i.environment = ${env} AND ${s.windowSeconds} > 0 AND i.opened_at < d.at + make_interval(secs => ${s.windowSeconds})
),
links AS (
  SELECT deployment_id, min(opened_at) AS first_opened, min(resolved_at) AS first_resolved
  FROM incident_links GROUP BY deployment_id
),
live AS (
  SELECT e.deployment_id, min(e.occurred_at) AS live_at FROM deployment_events e
  WHERE e.environment = ${env} AND e.status <> 'started' AND e.deployment_id IN (SELECT deployment_id FROM prod WHERE status = 'rolled_back')
  GROUP BY e.deployment_id
),
classified AS (
  SELECT p.*, (p.status IN ('failed', 'rolled_back') OR r.target IS NOT NULL OR (p.next_kind IS NOT DISTINCT FROM 'hotfix' AND p.kind <> 'rollback')) AS deployment_failed,
    l.deployment_id IS NOT NULL AS incident_failed, r.completed_at, l.first_opened, l.first_resolved, v.live_at
  FROM prod p
  LEFT JOIN rollbacks r ON r.target = p.deployment_id
  LEFT JOIN links l ON l.deployment_id = p.deployment_id
  LEFT JOIN live v ON v.deployment_id = p.deployment_id
),
sequenced AS (
  SELECT c.*, (deployment_failed OR incident_failed) AS failed,
    CASE WHEN status = 'rolled_back' THEN coalesce(live_at, at) WHEN deployment_failed THEN at ELSE first_opened END AS failed_at,
    min(CASE WHEN NOT (deployment_failed OR incident_failed) AND status = 'succeeded' THEN at END) OVER (
      PARTITION BY service ORDER BY at, deployment_id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_good_at
  FROM classified c
),
outcomes AS (
  SELECT s.*, CASE WHEN s.failed THEN LEAST(
      CASE WHEN s.completed_at >= s.failed_at THEN s.completed_at END,
      CASE WHEN s.status = 'rolled_back' AND s.at >= s.failed_at THEN s.at END,
      (SELECT min(f.occurred_at) FROM flag_events f
        WHERE f.environment = ${env} AND f.service = s.service AND f.action = 'disabled' AND f.occurred_at >= s.failed_at),
      CASE WHEN s.first_resolved >= s.failed_at THEN s.first_resolved END,
      CASE WHEN s.next_good_at >= s.failed_at THEN s.next_good_at END) END AS recovered_at
  FROM sequenced s WHERE s.at < ${time(s.to)} AND (${team} = '' OR s.team = ${team})
)
SELECT ${keyAndPeriod(s)},
  count(*) FILTER (WHERE status = 'succeeded' AND kind <> 'rollback') AS deployments,
  count(*) FILTER (WHERE status = 'succeeded' AND kind = 'rollback') AS rollbacks,
  count(*) AS total, count(*) FILTER (WHERE failed) AS failed, count(*) FILTER (WHERE kind IN ('rollback', 'hotfix')) AS rework,
  count(recovered_at) AS recoveries,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY floor(extract(epoch FROM recovered_at - failed_at))) AS recovery_median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY floor(extract(epoch FROM recovered_at - failed_at))) AS recovery_p90
FROM outcomes GROUP BY 1, 2 ORDER BY 1, 2`;
}

export function leadTimesSql(s: PgScope): string {
  const env = text(s.environment), svc = text(s.service), team = text(s.team);
  return `WITH shipped AS MATERIALIZED (
  SELECT deployment_id, service, team, version, status_at AS at FROM deployments
  WHERE environment = ${env} AND (${svc} = '' OR service = ${svc}) AND status = 'succeeded' AND status_at < ${time(s.to)}
),
carried AS (
  SELECT c.service, c.sha, c.authored_at, d.deployment_id, d.team, d.at
  FROM deployment_commits c JOIN shipped d ON c.service = d.service AND c.deployment_id = d.deployment_id
  WHERE c.environment = ${env}
  UNION ALL
  SELECT d.service, k.sha, k.authored_at, d.deployment_id, d.team, d.at
  FROM shipped d JOIN commits k ON k.service = d.service AND k.sha = d.version
),
first_deployed AS (
  SELECT service, sha, min(authored_at) AS authored, min(at) AS at, (array_agg(team ORDER BY at, deployment_id))[1] AS team
  FROM carried GROUP BY service, sha HAVING min(at) >= ${time(s.scanFrom)}
)
SELECT ${keyAndPeriod(s)}, count(*) AS commits,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY floor(greatest(0, extract(epoch FROM at - authored)))) AS median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY floor(greatest(0, extract(epoch FROM at - authored)))) AS p90
FROM first_deployed WHERE (${team} = '' OR team = ${team})
GROUP BY 1, 2 ORDER BY 1, 2`;
}
