-- Popularity (docs/edges.md, "Popularity"): an exponentially decayed view score per video per
-- region. The score is kept as a logarithm normalised to one fixed reference instant
-- (JdbcPopularity.EPOCH): log_score = ln(s) + (t - EPOCH)·ln2/halfLife for a score s at time t.
-- Decay then needs no rewrite (a row untouched for a week is still right), ordering by log_score
-- is ordering by today's score (top-N is an index scan), and the logarithm keeps the normalised
-- value from overflowing a double, which 2^((t - EPOCH)/halfLife) itself would after ~1000
-- half-lives. Portable like V1–V8: standard SQL that H2 2.x and PostgreSQL take.
CREATE TABLE video_popularity (
    video_id   VARCHAR(11)      NOT NULL,
    -- The viewers' region, as named in the CIDR table ("default" for unmapped addresses).
    region     VARCHAR(64)      NOT NULL,
    log_score  DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT video_popularity_pk PRIMARY KEY (video_id, region)
);

-- Top-N of a region: the best log_score first.
CREATE INDEX video_popularity_top ON video_popularity (region, log_score);
