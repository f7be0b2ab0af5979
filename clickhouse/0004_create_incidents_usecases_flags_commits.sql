CREATE TABLE IF NOT EXISTS {{sharded:incident_events}} {{on_cluster}}
(
    event_id    String,
    incident_id String,
    occurred_at DateTime64(3, 'UTC'),
    service     LowCardinality(String),
    environment LowCardinality(String),
    team        LowCardinality(String),
    source      LowCardinality(String),
    status      LowCardinality(String),
    severity    LowCardinality(String),
    title       String,
    url         String,
    caused_by   String
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (environment, service, incident_id, occurred_at, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS incident_events_mv {{on_cluster}} TO {{local:incident_events}} AS
SELECT
    id AS event_id,
    JSONExtractString(payload, 'incidentId') AS incident_id,
    occurred_at, service, environment, team, source,
    JSONExtractString(payload, 'status') AS status,
    JSONExtractString(payload, 'severity') AS severity,
    JSONExtractString(payload, 'title') AS title,
    JSONExtractString(payload, 'url') AS url,
    JSONExtractString(payload, 'causedBy') AS caused_by
FROM {{local:events}}
WHERE type = 'incident';

CREATE TABLE IF NOT EXISTS {{sharded:usecase_results}} {{on_cluster}}
(
    event_id      String,
    occurred_at   DateTime64(3, 'UTC'),
    service       LowCardinality(String),
    environment   LowCardinality(String),
    team          LowCardinality(String),
    deployment_id String,
    version       String,
    usecase       String,
    suite         LowCardinality(String),
    status        LowCardinality(String),
    duration_ms   UInt32,
    error         String CODEC(ZSTD(3))
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (environment, service, usecase, occurred_at, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS usecase_results_mv {{on_cluster}} TO {{local:usecase_results}} AS
SELECT
    id AS event_id, occurred_at, service, environment, team,
    JSONExtractString(payload, 'deploymentId') AS deployment_id,
    JSONExtractString(payload, 'version') AS version,
    JSONExtractString(payload, 'usecase') AS usecase,
    JSONExtractString(payload, 'suite') AS suite,
    JSONExtractString(payload, 'status') AS status,
    JSONExtractUInt(payload, 'durationMs') AS duration_ms,
    JSONExtractString(payload, 'error') AS error
FROM {{local:events}}
WHERE type = 'usecase';

CREATE TABLE IF NOT EXISTS {{sharded:flag_events}} {{on_cluster}}
(
    event_id    String,
    occurred_at DateTime64(3, 'UTC'),
    service     LowCardinality(String),
    environment LowCardinality(String),
    team        LowCardinality(String),
    flag        String,
    action      LowCardinality(String),
    percentage  Float32 DEFAULT -1 COMMENT '-1 when the event gave none',
    actor       String
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (environment, service, occurred_at, flag, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS flag_events_mv {{on_cluster}} TO {{local:flag_events}} AS
SELECT
    id AS event_id, occurred_at, service, environment, team,
    JSONExtractString(payload, 'flag') AS flag,
    JSONExtractString(payload, 'action') AS action,
    if(JSONHas(payload, 'percentage'), JSONExtractFloat(payload, 'percentage'), -1) AS percentage,
    JSONExtractString(payload, 'actor') AS actor
FROM {{local:events}}
WHERE type = 'flag';

-- Commits seen on pushes, for lead time when a deployment names only its version.
CREATE TABLE IF NOT EXISTS {{sharded:commits}} {{on_cluster}}
(
    service      LowCardinality(String),
    sha          String,
    repository   String,
    authored_at  DateTime64(3, 'UTC'),
    committed_at DateTime64(3, 'UTC') COMMENT '1970-01-01 when unknown',
    author       String,
    message      String CODEC(ZSTD(3))
)
ENGINE = {{replicated}}ReplacingMergeTree
ORDER BY (service, sha);

CREATE MATERIALIZED VIEW IF NOT EXISTS commits_mv {{on_cluster}} TO {{local:commits}} AS
SELECT
    service,
    JSONExtractString(payload, 'sha') AS sha,
    JSONExtractString(payload, 'repository') AS repository,
    parseDateTime64BestEffort(JSONExtractString(payload, 'authoredAt'), 3, 'UTC') AS authored_at,
    parseDateTime64BestEffortOrZero(JSONExtractString(payload, 'committedAt'), 3, 'UTC') AS committed_at,
    JSONExtractString(payload, 'author') AS author,
    JSONExtractString(payload, 'message') AS message
FROM {{local:events}}
WHERE type = 'commit'
