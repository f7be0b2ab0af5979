-- Drumbeat's reading of the raw points: one value per point and stream, already a rate for
-- sums and histogram counts, a quantile estimate for histograms (packages/analysis/src/
-- metrics/derive.ts). Null engine: the points are kept raw in the otel_metrics_* tables;
-- this table only feeds the views below.
CREATE TABLE IF NOT EXISTS {{sharded:metric_points}} {{on_cluster}}
(
    environment LowCardinality(String),
    service     LowCardinality(String),
    version     String,
    metric      LowCardinality(String),
    kind        LowCardinality(String) COMMENT 'gauge | rate | quantile',
    unit        LowCardinality(String),
    stream      UInt64 COMMENT 'hash of the metric, its point attributes and the resource',
    at          DateTime64(3, 'UTC'),
    value       Float64
)
ENGINE = Null;

-- Per minute, per (environment, service, metric, version): what correlation and charts
-- read instead of raw points. A minute's value is the mean of its points per stream,
-- summed over streams for rates (total throughput) and averaged for gauges and quantiles.
-- Re-sent identical points change neither mean nor stream count; `received` says when the
-- minute last got points, so stored impacts know they are stale.
CREATE TABLE IF NOT EXISTS {{sharded:metric_rollup_1m}} {{on_cluster}}
(
    environment LowCardinality(String),
    service     LowCardinality(String),
    metric      LowCardinality(String),
    version     String,
    minute      DateTime('UTC'),
    kind        SimpleAggregateFunction(any, LowCardinality(String)),
    unit        SimpleAggregateFunction(any, LowCardinality(String)),
    total       SimpleAggregateFunction(sum, Float64),
    points      SimpleAggregateFunction(sum, UInt64),
    streams     AggregateFunction(uniqExact, UInt64),
    low         SimpleAggregateFunction(min, Float64),
    high        SimpleAggregateFunction(max, Float64),
    received    SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (environment, service, metric, minute, version)
TTL minute + toIntervalDay(400)
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS metric_rollup_1m_mv {{on_cluster}} TO {{local:metric_rollup_1m}} AS
SELECT
    environment, service, metric, version,
    toStartOfMinute(at) AS minute,
    any(kind) AS kind,
    any(unit) AS unit,
    sum(value) AS total,
    count() AS points,
    uniqExactState(stream) AS streams,
    min(value) AS low,
    max(value) AS high,
    now64(3, 'UTC') AS received
FROM {{local:metric_points}}
GROUP BY environment, service, metric, version, minute;

-- The metric names of each service, for GET /api/v1/metrics.
CREATE TABLE IF NOT EXISTS {{sharded:metric_catalog}} {{on_cluster}}
(
    environment LowCardinality(String),
    service     LowCardinality(String),
    metric      LowCardinality(String),
    kind        SimpleAggregateFunction(any, LowCardinality(String)),
    unit        SimpleAggregateFunction(any, LowCardinality(String)),
    first_seen  SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen   SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (environment, service, metric);

CREATE MATERIALIZED VIEW IF NOT EXISTS metric_catalog_mv {{on_cluster}} TO {{local:metric_catalog}} AS
SELECT environment, service, metric, any(kind) AS kind, any(unit) AS unit, min(at) AS first_seen, max(at) AS last_seen
FROM {{local:metric_points}}
GROUP BY environment, service, metric;

-- OTLP requests already written, by a hash of their decoded content: a retried export
-- is answered without writing its points twice.
CREATE TABLE IF NOT EXISTS metric_batches {{on_cluster}}
(
    batch_hash  String,
    received_at DateTime64(3, 'UTC'),
    points      UInt32
)
ENGINE = {{replicated}}ReplacingMergeTree
ORDER BY batch_hash
TTL toDateTime(received_at) + toIntervalDay(2);

-- Each deployment's comparison per metric (before/after, or canary step against its
-- baseline), the last computation winning. Recomputed when its windows get new points.
CREATE TABLE IF NOT EXISTS {{sharded:deployment_impacts}} {{on_cluster}}
(
    environment   LowCardinality(String),
    service       LowCardinality(String),
    deployment_id String,
    comparison    LowCardinality(String) COMMENT 'before_after | canary',
    step          UInt16 COMMENT 'canary step, 0 for before_after',
    metric        LowCardinality(String),
    direction     LowCardinality(String),
    verdict       LowCardinality(String),
    window_a_from DateTime64(3, 'UTC'),
    window_a_to   DateTime64(3, 'UTC'),
    window_b_from DateTime64(3, 'UTC'),
    window_b_to   DateTime64(3, 'UTC'),
    n_a           UInt32,
    n_b           UInt32,
    median_a      Float64,
    median_b      Float64,
    shift         Float64,
    relative_change Float64,
    u             Float64,
    p_value       Float64,
    method        LowCardinality(String),
    computed_at   DateTime64(3, 'UTC')
)
ENGINE = {{replicated}}ReplacingMergeTree(computed_at)
ORDER BY (environment, service, deployment_id, comparison, step, metric);

-- When each deployment's impact was last computed (also when it has no metrics at all),
-- so reads know which are missing or stale without scanning the results.
CREATE TABLE IF NOT EXISTS {{sharded:deployment_impact_builds}} {{on_cluster}}
(
    environment   LowCardinality(String),
    service       LowCardinality(String),
    deployment_id String,
    verdict       LowCardinality(String),
    computed_at   DateTime64(3, 'UTC')
)
ENGINE = {{replicated}}ReplacingMergeTree(computed_at)
ORDER BY (environment, service, deployment_id)
