-- A deployment's page, its impact and its deploy gate look it up by id alone
-- (GET /api/v1/deployments/:id, .../impact, .../verdict): the sort key starts with
-- environment and service, so without this the lookup reads every deployment (10M rows
-- at scale). A bloom filter per granule lets it skip the granules without that id.
-- On a cluster, the shards' tables (a Distributed table has no index).
ALTER TABLE {{local:deployments}} {{on_cluster}}
    ADD INDEX IF NOT EXISTS deployment_id_bloom deployment_id TYPE bloom_filter(0.01) GRANULARITY 1;

-- Builds the index for the parts written before it (in the background, as a mutation).
ALTER TABLE {{local:deployments}} {{on_cluster}} MATERIALIZE INDEX deployment_id_bloom
