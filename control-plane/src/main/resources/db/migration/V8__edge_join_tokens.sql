-- Join tokens (docs/deploy.md, "An ISP edge box"): an admin mints one for a region, an edge box
-- redeems it once for what it needs to run. Only a SHA-256 of the token is kept, so a copy of the
-- database does not let anyone join. Portable like V1–V7.
CREATE TABLE edge_join_tokens (
    token_hash  VARCHAR(64)   NOT NULL PRIMARY KEY,
    region      VARCHAR(64)   NOT NULL,
    -- The origins the box fetches from, comma-separated absolute URLs.
    origin_urls VARCHAR(4096) NOT NULL,
    created_by  VARCHAR(128)  NOT NULL,
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    -- Set once, by the redemption; a token with used_at is spent.
    used_at     TIMESTAMP(6) WITH TIME ZONE,
    used_from   VARCHAR(128)
);
