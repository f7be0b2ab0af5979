-- Each lifecycle event of a deployment (started, canary steps, succeeded, ...).
CREATE TABLE IF NOT EXISTS {{sharded:deployment_events}} {{on_cluster}}
(
    event_id      String,
    deployment_id String,
    occurred_at   DateTime64(3, 'UTC'),
    service       LowCardinality(String),
    environment   LowCardinality(String),
    team          LowCardinality(String),
    source        LowCardinality(String),
    version       String,
    artifact      String,
    status        LowCardinality(String),
    strategy      LowCardinality(String),
    canary_weight Float32 DEFAULT -1 COMMENT '-1 when the event gave none',
    kind          LowCardinality(String),
    rolls_back    String,
    url           String,
    actor         String,
    labels        Map(LowCardinality(String), String),
    commit_count  UInt32
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (environment, service, deployment_id, occurred_at, event_id);

-- Current state: one row per deployment, the latest lifecycle event wins (row_version
-- orders by time, then by how final the status is). Read with FINAL.
CREATE TABLE IF NOT EXISTS {{sharded:deployments}} {{on_cluster}}
(
    deployment_id String,
    service       LowCardinality(String),
    environment   LowCardinality(String),
    team          LowCardinality(String),
    source        LowCardinality(String),
    version       String,
    artifact      String,
    status        LowCardinality(String),
    status_at     DateTime64(3, 'UTC'),
    strategy      LowCardinality(String),
    kind          LowCardinality(String),
    rolls_back    String,
    url           String,
    actor         String,
    row_version   UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(row_version)
ORDER BY (environment, service, deployment_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS deployment_events_mv {{on_cluster}} TO {{local:deployment_events}} AS
SELECT
    id AS event_id,
    JSONExtractString(payload, 'deploymentId') AS deployment_id,
    occurred_at, service, environment, team, source,
    JSONExtractString(payload, 'version') AS version,
    JSONExtractString(payload, 'artifact') AS artifact,
    JSONExtractString(payload, 'status') AS status,
    JSONExtractString(payload, 'strategy') AS strategy,
    if(JSONHas(payload, 'canaryWeight'), JSONExtractFloat(payload, 'canaryWeight'), -1) AS canary_weight,
    if(JSONHas(payload, 'kind'), JSONExtractString(payload, 'kind'), 'normal') AS kind,
    JSONExtractString(payload, 'rollsBack') AS rolls_back,
    JSONExtractString(payload, 'url') AS url,
    JSONExtractString(payload, 'actor') AS actor,
    CAST(JSONExtract(payload, 'labels', 'Map(String, String)'), 'Map(LowCardinality(String), String)') AS labels,
    length(JSONExtractArrayRaw(payload, 'commits')) AS commit_count
FROM {{local:events}}
WHERE type = 'deployment';

CREATE MATERIALIZED VIEW IF NOT EXISTS deployments_mv {{on_cluster}} TO {{local:deployments}} AS
SELECT
    deployment_id, service, environment, team, source, version, artifact, status,
    occurred_at AS status_at, strategy, kind, rolls_back, url, actor,
    toUInt64(toUnixTimestamp64Milli(occurred_at)) * 4
        + indexOf(['succeeded', 'failed', 'rolled_back'], status) AS row_version
FROM {{local:deployment_events}};

-- The commits a deployment carried, one row per (deployment, commit).
CREATE TABLE IF NOT EXISTS {{sharded:deployment_commits}} {{on_cluster}}
(
    environment   LowCardinality(String),
    service       LowCardinality(String),
    deployment_id String,
    sha           String,
    authored_at   DateTime64(3, 'UTC'),
    committed_at  DateTime64(3, 'UTC') COMMENT '1970-01-01 when unknown',
    author        String,
    message       String CODEC(ZSTD(3))
)
ENGINE = {{replicated}}ReplacingMergeTree
ORDER BY (environment, service, deployment_id, sha);

CREATE MATERIALIZED VIEW IF NOT EXISTS deployment_commits_mv {{on_cluster}} TO {{local:deployment_commits}} AS
SELECT
    environment, service,
    JSONExtractString(payload, 'deploymentId') AS deployment_id,
    JSONExtractString(commit, 'sha') AS sha,
    parseDateTime64BestEffort(JSONExtractString(commit, 'authoredAt'), 3, 'UTC') AS authored_at,
    parseDateTime64BestEffortOrZero(JSONExtractString(commit, 'committedAt'), 3, 'UTC') AS committed_at,
    JSONExtractString(commit, 'author') AS author,
    JSONExtractString(commit, 'message') AS message
FROM {{local:events}}
ARRAY JOIN JSONExtractArrayRaw(payload, 'commits') AS commit
WHERE type = 'deployment'
