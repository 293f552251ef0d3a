-- Progressive publishing (docs/transcoding.md §8, §10): within a job, encode tasks are claimed
-- cheapest rendition first (pixels × frames per second), so that one rendition is complete early and
-- can be published before the others. 0 for every other task; the planner's order (seq) breaks ties.
ALTER TABLE tasks ADD COLUMN claim_rank BIGINT DEFAULT 0 NOT NULL;
