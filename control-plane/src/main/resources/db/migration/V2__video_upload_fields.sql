-- What POST /api/v1/videos records about an upload (docs/upload.md §1), and the tags that
-- PATCH /api/v1/videos/{id} sets (§4).
--
-- Portable like V1: one ADD COLUMN per statement (PostgreSQL accepts a comma list, H2 wants
-- ADD (...) instead, so neither form is shared), DEFAULT before NOT NULL (the only order H2's
-- grammar takes; PostgreSQL takes either).
--
-- Rows created before this migration have no file name, content type or upload expiry (NULL),
-- the default profile and no tags; the store reads them back that way.

-- The file name the client declared, such as "cat.mp4"; a name, never a path.
ALTER TABLE videos ADD COLUMN filename VARCHAR(255);

-- The declared media type, lower case, always video/* when set by the API.
ALTER TABLE videos ADD COLUMN content_type VARCHAR(255);

-- The pipeline profile (conf/pipelines/{profile}.yaml) the video is transcoded with.
ALTER TABLE videos ADD COLUMN profile VARCHAR(64) DEFAULT 'default' NOT NULL;

-- The tags as a JSON array of strings, such as ["cats","funny"]: at most 20 tags of at most 40
-- characters each, so 20 * (2 quotes + 40 characters each escaped to at most 2) + 19 commas + 2
-- brackets = 1701 characters at worst; 4000 leaves room for a looser limit later. Text rather
-- than a join table: tags are only ever read and written with their video.
ALTER TABLE videos ADD COLUMN tags VARCHAR(4000) DEFAULT '[]' NOT NULL;

-- When the upload token handed out with the video expires; after it, ingest refuses the upload.
ALTER TABLE videos ADD COLUMN upload_expires_at TIMESTAMP(6) WITH TIME ZONE;
