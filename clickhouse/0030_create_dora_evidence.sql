-- DORA evidence (docs/dora.md, "Evidence and data quality"): what each failure rests on,
-- and what the figures leave out. Both are derived like the other facts tables: the rules
-- version that came with them makes every service rebuild on the next DORA request.

-- Per failed deployment, each piece of evidence: (reason it supports, kind of the thing,
-- its id, a title, a link), e.g. ('incident_caused_by', 'incident', 'INC-7', 'Card payments failing', 'https://…').
-- On a cluster, the shards' tables and the Distributed table over them (one table on a single server).
ALTER TABLE {{local:dora_deployment_facts}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS evidence Array(Tuple(reason LowCardinality(String), kind LowCardinality(String), id String, title String, url String)) AFTER reasons;

ALTER TABLE dora_deployment_facts {{on_cluster}}
    ADD COLUMN IF NOT EXISTS evidence Array(Tuple(reason LowCardinality(String), kind LowCardinality(String), id String, title String, url String)) AFTER reasons;

-- One row per item the figures leave out, and why (`issue`), dated so that a range counts its own.
CREATE TABLE IF NOT EXISTS {{sharded:dora_quality_facts}} {{on_cluster}}
(
    environment LowCardinality(String),
    definition  LowCardinality(String),
    service     LowCardinality(String),
    issue       LowCardinality(String) COMMENT 'cause_unknown | cause_after_opening | deployment_without_commits | event_in_future',
    subject     String COMMENT 'the incident or deployment id',
    build       UInt64,
    team        LowCardinality(String),
    at          DateTime64(3, 'UTC')
)
-- Like the other facts since 0014: every build kept side by side until a newer one is recorded.
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (environment, definition, service, issue, subject, build)
