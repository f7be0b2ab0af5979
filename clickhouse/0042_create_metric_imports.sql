-- How far each of a Collector's tables (DRUMBEAT_METRICS_DATABASE) has been read into
-- metric_points: rows with TimeUnix up to the watermark are done.
CREATE TABLE IF NOT EXISTS metric_imports {{on_cluster}}
(
    source_table String,
    watermark    DateTime64(9, 'UTC'),
    updated_at   DateTime64(3, 'UTC')
)
ENGINE = {{replicated}}ReplacingMergeTree(updated_at)
ORDER BY source_table
