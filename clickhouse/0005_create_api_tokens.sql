-- API tokens, stored as SHA-256 hashes only. Revoking writes a newer row.
CREATE TABLE IF NOT EXISTS api_tokens {{on_cluster}}
(
    token_hash String,
    name       String,
    scopes     Array(LowCardinality(String)),
    created_at DateTime64(3, 'UTC'),
    revoked    UInt8 DEFAULT 0,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree(updated_at)
ORDER BY token_hash
