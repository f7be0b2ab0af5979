-- What GET /api/v1/services lists (the dashboard's filters, on every page): per service,
-- environment and team seen in an event, the count and the latest time, summed as events
-- are stored, so the list reads a few rows per service instead of every event (30M rows
-- at 10M deployments). The writer stores each event's journal row once (docs/ingest.md),
-- so each event is counted once.
CREATE TABLE IF NOT EXISTS {{sharded:service_catalog}} {{on_cluster}}
(
    service       LowCardinality(String),
    environment   LowCardinality(String),
    team          LowCardinality(String),
    last_event_at SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    events        SimpleAggregateFunction(sum, UInt64)
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (service, environment, team);

CREATE MATERIALIZED VIEW IF NOT EXISTS service_catalog_mv {{on_cluster}} TO {{local:service_catalog}} AS
SELECT service, environment, team, max(occurred_at) AS last_event_at, count() AS events
FROM {{local:events}}
GROUP BY service, environment, team;

-- Events stored before this migration (the view sees only new inserts).
INSERT INTO service_catalog
SELECT service, environment, team, max(occurred_at), count()
FROM events FINAL
GROUP BY service, environment, team
