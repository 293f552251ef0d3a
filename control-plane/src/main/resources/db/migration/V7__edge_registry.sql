-- The edge registry (docs/edges.md): one row per edge box, created by its first heartbeat and
-- updated by every later one. Portable like V1–V6: standard SQL that H2 2.x and PostgreSQL take.
-- Issue 6 adds what routing needs on top (drain mode, the fill list) as columns here.
CREATE TABLE edges (
    -- The box's own id, generated once and kept in its data dir.
    edge_id        VARCHAR(64)   NOT NULL PRIMARY KEY,
    -- The region (ISP) the box serves, as named in the CIDR table.
    region         VARCHAR(64)   NOT NULL,
    -- Where viewers reach the box.
    public_url     VARCHAR(2048) NOT NULL,
    capacity_bytes BIGINT        NOT NULL,
    -- The box's last reported counters, a JSON object with the fields of EdgeStatsReport; a
    -- dozen longs, far below the bound.
    stats          VARCHAR(4000) NOT NULL,
    heartbeats     BIGINT        NOT NULL,
    first_seen_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_seen_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT edges_capacity_ck CHECK (capacity_bytes >= 0)
);

-- Routing asks for the healthy boxes of one region.
CREATE INDEX edges_region_seen ON edges (region, last_seen_at);
