-- Use-case results sorted by time (docs/usecases.md, "How it is computed"): what the reads
-- of a recent window (the list, the matrix, a deployment's broke/fixed) read, so the
-- latest deployments of a service are one contiguous range however long its history.
-- usecase_results, sorted by use case, still serves one use case's whole history.
-- The columns those reads need; a row written twice (a retried insert, docs/ingest.md)
-- collapses by its key, as in usecase_results.
CREATE TABLE IF NOT EXISTS {{sharded:usecase_results_by_time}} {{on_cluster}}
(
    environment   LowCardinality(String),
    service       LowCardinality(String),
    occurred_at   DateTime64(3, 'UTC'),
    event_id      String,
    usecase       String,
    suite         LowCardinality(String),
    status        LowCardinality(String),
    deployment_id String,
    version       String,
    error         String CODEC(ZSTD(3))
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (environment, service, occurred_at, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS usecase_results_by_time_mv {{on_cluster}} TO {{local:usecase_results_by_time}} AS
SELECT environment, service, occurred_at, event_id, usecase, suite, status, deployment_id, version, error
FROM {{local:usecase_results}};

-- Results stored before this migration (the view sees only new inserts).
INSERT INTO usecase_results_by_time
SELECT environment, service, occurred_at, event_id, usecase, suite, status, deployment_id, version, error
FROM usecase_results;
