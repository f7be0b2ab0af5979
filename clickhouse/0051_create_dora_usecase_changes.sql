-- When each (environment, service) last received a use-case result. Read as a change of
-- its DORA facts only when use-case breaks count as change failures
-- (DRUMBEAT_CFR_COUNT_USECASE_BREAKS; packages/analysis/src/dora/sql/facts.ts): apart
-- from dora_changes, so that with the flag off results never trigger a rebuild.
CREATE TABLE IF NOT EXISTS {{sharded:dora_usecase_changes}} {{on_cluster}}
(
    environment LowCardinality(String),
    service     LowCardinality(String),
    changed_at  SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (environment, service);

CREATE MATERIALIZED VIEW IF NOT EXISTS dora_usecase_changes_mv {{on_cluster}} TO {{local:dora_usecase_changes}} AS
SELECT environment, service, now64(3, 'UTC') AS changed_at
FROM {{local:usecase_results}}
GROUP BY environment, service;

-- Results stored before this migration: their services have changed once.
INSERT INTO dora_usecase_changes (environment, service, changed_at)
SELECT environment, service, now64(3, 'UTC')
FROM usecase_results
GROUP BY environment, service;
