-- The weekly digest's sends (docs/digest.md): one row per step of each attempt to mail one
-- week's digest to one audience (`team`, '' for everyone). A server claims a send before
-- mailing and records the outcome after, so a restart or a second server sees that the
-- week is sent, or being sent, and does not send it again. Append-only; small (a few
-- rows per week and team), read by (week, team).
CREATE TABLE IF NOT EXISTS digest_sends {{on_cluster}}
(
    week        LowCardinality(String) COMMENT 'ISO week, e.g. 2026-W47',
    team        LowCardinality(String) COMMENT 'the audience: a team, or empty for everyone',
    attempt_id  String COMMENT 'one attempt of one server',
    step        LowCardinality(String) COMMENT 'claimed | sent | failed',
    at          DateTime64(3, 'UTC'),
    instance    String COMMENT 'the server that made the attempt',
    recipients  Array(String),
    message_id  String,
    error       String
)
ENGINE = {{replicated}}MergeTree
ORDER BY (week, team, at, attempt_id)
