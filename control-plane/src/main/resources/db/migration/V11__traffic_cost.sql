-- Traffic and cost (docs/edges.md, "Cost"): bytes served to viewers per UTC day, and the last
-- cumulative counter each reporting source sent, so that a report adds only what is new.
-- Portable like V1–V8: standard SQL that H2 2.x and PostgreSQL take.
CREATE TABLE traffic_sources (
    -- 'edge' (from its heartbeat) or 'origin'.
    source_kind    VARCHAR(16)  NOT NULL,
    source_id      VARCHAR(64)  NOT NULL,
    -- The source's last cumulative byte and request counters (since it started).
    last_bytes     BIGINT       NOT NULL,
    last_requests  BIGINT       NOT NULL,
    PRIMARY KEY (source_kind, source_id)
);

CREATE TABLE traffic_days (
    -- A UTC day.
    utc_day        DATE         NOT NULL PRIMARY KEY,
    -- Body bytes served to viewers by edge boxes (hit + miss).
    edge_bytes     BIGINT       NOT NULL,
    -- Body bytes the origin served straight to viewers.
    origin_bytes   BIGINT       NOT NULL
);
