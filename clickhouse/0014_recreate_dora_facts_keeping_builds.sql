-- (Written beside 0013, the typed-insert writer's migration, and applied after it: it also
-- drops the view 0013 made for dora_cause_changes.)
--
-- DORA facts, third layout (the second is 0012): every build's rows are kept, side by
-- side, until the analysis package deletes the builds that a newer complete build
-- replaced. With the build as a ReplacingMergeTree version, the engine could merge a
-- newer build's rows over the rows a request was still reading (so one answer mixed two
-- builds), and could do so before the newer build was even complete. Now the build is
-- part of the key, nothing replaces anything, and a request reads one complete build of
-- each service from start to end (docs/dora.md, "Builds and reads").
--
-- The facts are derived, so the tables are recreated and the build records cleared: the
-- next DORA request rebuilds every service, in the background.

DROP TABLE IF EXISTS {{sharded:dora_deployment_facts}} {{on_cluster}} SYNC;

DROP TABLE IF EXISTS {{sharded:dora_commit_facts}} {{on_cluster}} SYNC;

TRUNCATE TABLE IF EXISTS {{local:dora_builds}} {{on_cluster}};

-- One row per deployment with a final status and build: how it counts, its failure reasons and recovery.
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
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (environment, definition, service, deployment_id, build);

-- One row per commit (service, sha) and build: its first successful deployment and lead time.
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
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (environment, definition, service, sha, build)
;

-- When each incident last received an event, in any environment and for any service:
-- the rules read every event of an incident that names a deployment in `causedBy` (its
-- resolution too, which may not repeat the cause), so the change check does as well.
-- Replaces dora_cause_changes, which saw only the events that named the cause. Like it,
-- unsharded: the view reads plain `events` and fires on the node that took the insert.
CREATE TABLE IF NOT EXISTS dora_incident_changes {{on_cluster}}
(
    incident_id String,
    changed_at  SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY incident_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS dora_incident_changes_mv {{on_cluster}} TO dora_incident_changes AS
SELECT JSONExtractString(payload, 'incidentId') AS incident_id, max(ingested_at) AS changed_at
FROM events
WHERE type = 'incident'
GROUP BY incident_id;

INSERT INTO dora_incident_changes (incident_id, changed_at)
SELECT JSONExtractString(payload, 'incidentId'), max(ingested_at)
FROM events
WHERE type = 'incident'
GROUP BY 1;

DROP VIEW IF EXISTS dora_cause_changes_mv {{on_cluster}} SYNC;

DROP VIEW IF EXISTS dora_cause_changes_incidents_mv {{on_cluster}} SYNC;

DROP TABLE IF EXISTS dora_cause_changes {{on_cluster}} SYNC
