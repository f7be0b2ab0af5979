-- The write path inserts typed rows itself, from the events it has just validated, and
-- the `events` journal row last, as the mark that an event is fully stored
-- (packages/store/src/ingest/writer.ts, docs/ingest.md). The views that parsed every
-- event's JSON payload again per typed table go; `deployments_mv` (deployment_events to
-- current state, no JSON) stays.
--
-- Which (environment, service) changed, for the DORA facts, is now noted by views on the
-- typed tables the facts are built from, so a change is marked when those rows land. On
-- a cluster each shard marks its own services; `dora_cause_changes` is not sharded (the
-- deployment an incident names may live on another shard).

DROP VIEW IF EXISTS deployment_events_mv {{on_cluster}};

DROP VIEW IF EXISTS deployment_commits_mv {{on_cluster}};

DROP VIEW IF EXISTS incident_events_mv {{on_cluster}};

DROP VIEW IF EXISTS usecase_results_mv {{on_cluster}};

DROP VIEW IF EXISTS flag_events_mv {{on_cluster}};

DROP VIEW IF EXISTS commits_mv {{on_cluster}};

DROP VIEW IF EXISTS dora_changes_mv {{on_cluster}};

DROP VIEW IF EXISTS dora_cause_changes_mv {{on_cluster}};

CREATE MATERIALIZED VIEW IF NOT EXISTS dora_changes_deployments_mv {{on_cluster}} TO {{local:dora_changes}} AS
SELECT environment, service, now64(3, 'UTC') AS changed_at
FROM {{local:deployment_events}}
GROUP BY environment, service;

CREATE MATERIALIZED VIEW IF NOT EXISTS dora_changes_incidents_mv {{on_cluster}} TO {{local:dora_changes}} AS
SELECT environment, service, now64(3, 'UTC') AS changed_at
FROM {{local:incident_events}}
GROUP BY environment, service;

CREATE MATERIALIZED VIEW IF NOT EXISTS dora_changes_flags_mv {{on_cluster}} TO {{local:dora_changes}} AS
SELECT environment, service, now64(3, 'UTC') AS changed_at
FROM {{local:flag_events}}
GROUP BY environment, service;

-- A commit (from a push) counts for every environment: it is stored without one.
CREATE MATERIALIZED VIEW IF NOT EXISTS dora_changes_commits_mv {{on_cluster}} TO {{local:dora_changes}} AS
SELECT '' AS environment, service, now64(3, 'UTC') AS changed_at
FROM {{local:commits}}
GROUP BY service;

-- Incidents naming a deployment in `causedBy`, which may belong to another service.
CREATE MATERIALIZED VIEW IF NOT EXISTS dora_cause_changes_incidents_mv {{on_cluster}} TO dora_cause_changes AS
SELECT environment, caused_by AS deployment_id, now64(3, 'UTC') AS changed_at
FROM {{local:incident_events}}
WHERE caused_by != ''
GROUP BY environment, deployment_id
