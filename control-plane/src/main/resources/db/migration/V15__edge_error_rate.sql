-- Edge health from errors as well as heartbeats (docs/edges.md, "Health"): the share of the
-- requests a box answered with a 5xx between its last two heartbeats, computed by the registry when
-- a heartbeat arrives. A box above edges.maxErrorRate is not routed to, like a silent one.
ALTER TABLE edges ADD COLUMN error_rate DOUBLE PRECISION DEFAULT 0 NOT NULL;
