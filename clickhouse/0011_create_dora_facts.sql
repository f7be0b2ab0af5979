-- DORA facts: what the DORA engine derived for each deployment and each commit of one
-- (environment, service), so that figures over any range read only that range instead
-- of re-deriving the whole history (docs/dora.md, "How figures stay fast").
--
-- A build recomputes one service's whole history under one definition (the rules'
-- version and settings) and writes every row with its build number; `dora_builds`
-- records the build last, so readers only use builds that were written completely.
-- Rows of older builds are filtered out by readers and merged away by the engine.

-- One row per deployment with a final status: its failure reasons and recovery.
CREATE TABLE IF NOT EXISTS {{sharded:dora_deployment_facts}} {{on_cluster}}
(
    environment      LowCardinality(String),
    definition       LowCardinality(String),
    service          LowCardinality(String),
    deployment_id    String,
    build            UInt64,
    team             LowCardinality(String),
    kind             LowCardinality(String),
    status           LowCardinality(String),
    at               DateTime64(3, 'UTC') COMMENT 'when the deployment reached its final status',
    reasons          Array(LowCardinality(String)),
    failed           Bool,
    failed_at        DateTime64(3, 'UTC'),
    recovered        Bool,
    recovered_at     DateTime64(3, 'UTC'),
    recovered_by     LowCardinality(String),
    recovery_seconds Float64
)
ENGINE = {{replicated}}ReplacingMergeTree(build)
PARTITION BY toYYYYMM(at)
ORDER BY (environment, definition, service, deployment_id);

-- One row per commit (service, sha): its first successful deployment and lead time.
CREATE TABLE IF NOT EXISTS {{sharded:dora_commit_facts}} {{on_cluster}}
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
    lead_seconds  Float64
)
ENGINE = {{replicated}}ReplacingMergeTree(build)
PARTITION BY toYYYYMM(at)
ORDER BY (environment, definition, service, sha);

-- The last complete build of each (environment, definition, service), and the time up to
-- which it had seen the service's events.
CREATE TABLE IF NOT EXISTS {{sharded:dora_builds}} {{on_cluster}}
(
    environment LowCardinality(String),
    definition  LowCardinality(String),
    service     LowCardinality(String),
    build       UInt64,
    built_at    DateTime64(3, 'UTC')
)
ENGINE = {{replicated}}ReplacingMergeTree(build)
ORDER BY (environment, definition, service);

-- When each (environment, service) last received an event: a build older than that is stale.
CREATE TABLE IF NOT EXISTS {{sharded:dora_changes}} {{on_cluster}}
(
    environment LowCardinality(String),
    service     LowCardinality(String),
    changed_at  SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (environment, service);

CREATE MATERIALIZED VIEW IF NOT EXISTS dora_changes_mv {{on_cluster}} TO {{local:dora_changes}} AS
-- A commit (from a push) counts for every environment: it is stored without one.
SELECT if(type = 'commit', '', environment) AS environment, service, max(ingested_at) AS changed_at
FROM {{local:events}}
WHERE type IN ('deployment', 'incident', 'flag', 'commit')
GROUP BY environment, service;

-- Incidents that name a deployment in `causedBy`, which may belong to another service:
-- that deployment's service is stale too.
CREATE TABLE IF NOT EXISTS dora_cause_changes {{on_cluster}}
(
    environment   LowCardinality(String),
    deployment_id String,
    changed_at    SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (environment, deployment_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS dora_cause_changes_mv {{on_cluster}} TO dora_cause_changes AS
SELECT environment, JSONExtractString(payload, 'causedBy') AS deployment_id, max(ingested_at) AS changed_at
FROM events
WHERE type = 'incident' AND JSONExtractString(payload, 'causedBy') != ''
GROUP BY environment, deployment_id
;

-- Events stored before this migration changed their services too: without this, an
-- upgraded installation would build no facts until each service's next event.
INSERT INTO dora_changes (environment, service, changed_at)
SELECT if(type = 'commit', '', environment), service, max(ingested_at)
FROM events
WHERE type IN ('deployment', 'incident', 'flag', 'commit')
GROUP BY 1, 2
