-- Every accepted canonical event, as validated JSON. Keyed by event id so that a
-- replayed or retried event collapses into one row; the typed tables below are fed from
-- here by materialized views.
CREATE TABLE IF NOT EXISTS {{sharded:events}} {{on_cluster}}
(
    id          String,
    type        LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'),
    service     LowCardinality(String),
    environment LowCardinality(String),
    team        LowCardinality(String),
    source      LowCardinality(String),
    payload     String CODEC(ZSTD(3)),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree(ingested_at)
ORDER BY id
