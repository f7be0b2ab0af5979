-- Release insights (docs/insights.md): what each production deployment carried and how it
-- was released, kept beside its DORA outcome so the insights read one row per deployment.
-- Filled when the facts are built (packages/analysis/src/insights/sql/facts.ts); the rules
-- version that came with these columns makes every service rebuild on the next request.
-- On a cluster, the shards' tables and the Distributed table over them (one table on a single server).
ALTER TABLE {{local:dora_deployment_facts}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS version String,
    ADD COLUMN IF NOT EXISTS artifact String COMMENT 'the artifact it deployed, else empty',
    ADD COLUMN IF NOT EXISTS strategy LowCardinality(String) COMMENT 'empty when no event named one',
    ADD COLUMN IF NOT EXISTS commit_count UInt32 COMMENT 'the commits it carried (its batch); 0 when none were sent',
    ADD COLUMN IF NOT EXISTS since_previous_seconds Int64 DEFAULT -1 COMMENT 'since the previous deployment of the service; -1 for the first',
    ADD COLUMN IF NOT EXISTS canary_steps Array(Tuple(weight Float32, at DateTime64(3, 'UTC'))) COMMENT 'each canary weight it reached, first time each, in order',
    ADD COLUMN IF NOT EXISTS flag_released Bool COMMENT 'a flag of the service was enabled after it and before the next deployment',
    ADD COLUMN IF NOT EXISTS promotion_path Array(Tuple(environment LowCardinality(String), at DateTime64(3, 'UTC'))) COMMENT 'earlier environments where its artifact (else version) succeeded first, in order',
    ADD COLUMN IF NOT EXISTS rebuilt Bool COMMENT 'its version ran earlier under a different artifact';

ALTER TABLE dora_deployment_facts {{on_cluster}}
    ADD COLUMN IF NOT EXISTS version String,
    ADD COLUMN IF NOT EXISTS artifact String COMMENT 'the artifact it deployed, else empty',
    ADD COLUMN IF NOT EXISTS strategy LowCardinality(String) COMMENT 'empty when no event named one',
    ADD COLUMN IF NOT EXISTS commit_count UInt32 COMMENT 'the commits it carried (its batch); 0 when none were sent',
    ADD COLUMN IF NOT EXISTS since_previous_seconds Int64 DEFAULT -1 COMMENT 'since the previous deployment of the service; -1 for the first',
    ADD COLUMN IF NOT EXISTS canary_steps Array(Tuple(weight Float32, at DateTime64(3, 'UTC'))) COMMENT 'each canary weight it reached, first time each, in order',
    ADD COLUMN IF NOT EXISTS flag_released Bool COMMENT 'a flag of the service was enabled after it and before the next deployment',
    ADD COLUMN IF NOT EXISTS promotion_path Array(Tuple(environment LowCardinality(String), at DateTime64(3, 'UTC'))) COMMENT 'earlier environments where its artifact (else version) succeeded first, in order',
    ADD COLUMN IF NOT EXISTS rebuilt Bool COMMENT 'its version ran earlier under a different artifact'
