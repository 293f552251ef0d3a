-- Routing (docs/edges.md, "Regions", "Drain"): drain mode on the edge registry, and the CIDR table
-- that maps a viewer's address to a region (ISP). Portable like V1–V8.

-- A draining box gets no new viewers; those it has finish. Only an admin sets or clears it; a
-- heartbeat never touches it, so a restart does not undrain a box.
ALTER TABLE edges ADD COLUMN draining BOOLEAN DEFAULT FALSE NOT NULL;

-- One row per CIDR block, IPv4 or IPv6, in canonical form (host bits zero, lower-case IPv6):
-- the primary key makes "the same block twice" impossible. Longest prefix wins at lookup time,
-- in memory (RegionTable); the table is the durable copy it is rebuilt from.
CREATE TABLE regions (
    cidr       VARCHAR(64) NOT NULL PRIMARY KEY,
    region     VARCHAR(64) NOT NULL,
    updated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
