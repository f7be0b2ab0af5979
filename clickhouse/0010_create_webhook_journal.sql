-- Every webhook payload Drumbeat accepted, raw, so that it can be mapped again when a
-- mapping improves (`drumbeat reprocess`). One row per (source, delivery): a redelivery
-- or a reprocess writes the row again and the latest processing wins (read with FINAL).
CREATE TABLE IF NOT EXISTS webhook_journal {{on_cluster}}
(
    received_at     DateTime64(3, 'UTC'),
    source          LowCardinality(String),
    delivery_id     String,
    headers         Map(LowCardinality(String), String) COMMENT 'only the headers the mapping reads; never a secret',
    payload         String CODEC(ZSTD(3)),
    mapping_version UInt32,
    outcome         LowCardinality(String) COMMENT 'accepted | ignored | malformed (a reprocess with a stricter mapping)',
    reason          String COMMENT 'why it was ignored or malformed',
    event_ids       Array(String),
    processed_at    DateTime64(3, 'UTC')
)
ENGINE = {{replicated}}ReplacingMergeTree(processed_at)
ORDER BY (source, delivery_id)
