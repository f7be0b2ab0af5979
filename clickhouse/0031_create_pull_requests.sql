-- Pull (merge) requests: each step of their life (opened, reviewed, approved, merged,
-- closed), for the lead-time breakdown (docs/dora.md, "Lead-time breakdown").
--
-- Filled by a view parsing the journal's payload, as the typed tables were before 0013:
-- to be converted to a typed insert by the writer (packages/store/src/ingest/rows.ts).
CREATE TABLE IF NOT EXISTS {{sharded:pull_request_events}} {{on_cluster}}
(
    event_id    String,
    occurred_at DateTime64(3, 'UTC'),
    service     LowCardinality(String),
    team        LowCardinality(String),
    repository  String,
    number      UInt64,
    status      LowCardinality(String),
    title       String,
    author      String,
    url         String,
    commits     Array(String) COMMENT 'the SHAs it is known to carry (head, merge commit)'
)
ENGINE = {{replicated}}ReplacingMergeTree
ORDER BY (service, repository, number, occurred_at, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS pull_request_events_mv {{on_cluster}} TO {{local:pull_request_events}} AS
SELECT
    id AS event_id, occurred_at, service, team,
    JSONExtractString(payload, 'repository') AS repository,
    JSONExtractUInt(payload, 'number') AS number,
    JSONExtractString(payload, 'status') AS status,
    JSONExtractString(payload, 'title') AS title,
    JSONExtractString(payload, 'author') AS author,
    JSONExtractString(payload, 'url') AS url,
    JSONExtract(payload, 'commits', 'Array(String)') AS commits
FROM {{local:events}}
WHERE type = 'pull_request';

-- Like a commit, a pull request changes its service's DORA facts in every environment.
CREATE MATERIALIZED VIEW IF NOT EXISTS dora_changes_pull_requests_mv {{on_cluster}} TO {{local:dora_changes}} AS
SELECT '' AS environment, service, now64(3, 'UTC') AS changed_at
FROM {{local:pull_request_events}}
GROUP BY service;

-- Per merged pull request that reached the environment: its lead time split into stages,
-- in whole seconds; a stage whose start or end is unknown is flagged out of its sample.
CREATE TABLE IF NOT EXISTS {{sharded:dora_pull_request_facts}} {{on_cluster}}
(
    environment    LowCardinality(String),
    definition     LowCardinality(String),
    service        LowCardinality(String),
    repository     String,
    number         UInt64,
    build          UInt64,
    team           LowCardinality(String),
    deployment_id  String,
    at             DateTime64(3, 'UTC') COMMENT 'the first successful deployment that carried one of its commits',
    has_coding     Bool COMMENT 'a commit of it is known with its authored time',
    coding_seconds UInt32 COMMENT 'first commit authored -> opened',
    has_review     Bool COMMENT 'reviewed or approved before it merged',
    pickup_seconds UInt32 COMMENT 'opened -> first review',
    review_seconds UInt32 COMMENT 'first review -> merged',
    deploy_seconds UInt32 COMMENT 'merged -> in the environment'
)
-- Like the other facts since 0014: every build kept side by side until a newer one is recorded.
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (environment, definition, service, repository, number, build);

-- Commits shipped as part of a pull request are counted in its stages; the others
-- ("without a pull request") keep the commit-based lead time, counted apart. On a
-- cluster, the shards' tables and the Distributed table over them.
ALTER TABLE {{local:dora_commit_facts}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS in_pull_request Bool DEFAULT false AFTER lead_seconds;

ALTER TABLE dora_commit_facts {{on_cluster}}
    ADD COLUMN IF NOT EXISTS in_pull_request Bool DEFAULT false AFTER lead_seconds
