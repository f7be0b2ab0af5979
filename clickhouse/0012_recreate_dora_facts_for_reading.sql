-- DORA facts, second layout (the first is 0011): what the readers count is decided once,
-- at build time, and durations are whole seconds. At 10M deployments this takes about a
-- fifth off an all-services /dora (docs/dora.md, "How figures stay fast"):
-- - `deployed`, `rollback_deployed` and `rework` are the DORA rules' classification of a
--   deployment, stored as flags: summing a flag is cheaper than matching status and
--   kind strings in every row of every read;
-- - `lead_seconds` and `recovery_seconds` are UInt32: git records commit times to the
--   second, and an exact median sorts 4-byte integers faster than 8-byte floats.
--
-- The facts are derived, so the tables are recreated rather than altered, and the build
-- records are cleared: the next DORA request rebuilds every service under the new layout.

DROP TABLE IF EXISTS {{sharded:dora_deployment_facts}} {{on_cluster}} SYNC;

DROP TABLE IF EXISTS {{sharded:dora_commit_facts}} {{on_cluster}} SYNC;

TRUNCATE TABLE IF EXISTS {{local:dora_builds}} {{on_cluster}};

-- One row per deployment with a final status: how it counts, its failure reasons and recovery.
CREATE TABLE {{sharded:dora_deployment_facts}} {{on_cluster}}
(
    environment       LowCardinality(String),
    definition        LowCardinality(String),
    service           LowCardinality(String),
    deployment_id     String,
    build             UInt64,
    team              LowCardinality(String),
    kind              LowCardinality(String),
    status            LowCardinality(String),
    at                DateTime64(3, 'UTC') COMMENT 'when the deployment reached its final status',
    deployed          Bool COMMENT 'a successful deployment that is not a rollback: deployment frequency',
    rollback_deployed Bool COMMENT 'a successful rollback, counted apart from deployments',
    rework            Bool COMMENT 'a rollback or a hotfix: rework rate',
    reasons           Array(LowCardinality(String)),
    failed            Bool,
    failed_at         DateTime64(3, 'UTC'),
    recovered         Bool,
    recovered_at      DateTime64(3, 'UTC'),
    recovered_by      LowCardinality(String),
    recovery_seconds  UInt32
)
ENGINE = {{replicated}}ReplacingMergeTree(build)
PARTITION BY toYYYYMM(at)
ORDER BY (environment, definition, service, deployment_id);

-- One row per commit (service, sha): its first successful deployment and lead time.
CREATE TABLE {{sharded:dora_commit_facts}} {{on_cluster}}
(
    environment   LowCardinality(String),
    definition    LowCardinality(String),
    service       LowCardinality(String),
    sha           String,
    build         UInt64,
    team          LowCardinality(String),
    deployment_id String,
    authored_at   DateTime64(3, 'UTC'),
    at            DateTime64(3, 'UTC') COMMENT 'the first successful deployment that carried it',
    lead_seconds  UInt32
)
ENGINE = {{replicated}}ReplacingMergeTree(build)
PARTITION BY toYYYYMM(at)
ORDER BY (environment, definition, service, sha)
