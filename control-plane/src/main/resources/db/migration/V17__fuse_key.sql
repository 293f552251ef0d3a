-- Fused claims (docs/transcoding.md §8): encode tasks of one chunk into several renditions share a
-- fuse key (the task id without its rendition, such as encode/c0003), so that a worker that can
-- fuse claims them together and runs them as one process that decodes the chunk once for every
-- rendition. NULL = never fused: every task but encodes, and the cheapest rendition's encodes when
-- the job publishes early (they are encoded alone, chunk by chunk, first; see V6's claim_rank).
--
-- Portable like V1–V16: standard SQL that H2 2.x and PostgreSQL 12+ both take.
ALTER TABLE tasks ADD COLUMN fuse_key VARCHAR(128);

-- The claim's companion look-up: the other ready tasks of the same job with the won task's key.
CREATE INDEX tasks_fuse_idx ON tasks (job_id, fuse_key);
