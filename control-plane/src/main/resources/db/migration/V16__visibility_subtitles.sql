-- Who may watch a video, and its subtitle tracks (docs/web-ui.md, "Content APIs the pages use").
--
-- Portable like V1–V11: standard SQL that H2 2.x and PostgreSQL 12+ both take, DEFAULT before
-- NOT NULL, a CHECK constraint for the enum.

-- PRIVATE: the owner and admins only (what every video was before this migration, so existing
-- rows keep their meaning); UNLISTED: any signed-in user who knows the id; PUBLIC: also listed.
ALTER TABLE videos ADD COLUMN visibility VARCHAR(16) DEFAULT 'PRIVATE' NOT NULL;
ALTER TABLE videos ADD CONSTRAINT videos_visibility_ck
    CHECK (visibility IN ('PRIVATE', 'UNLISTED', 'PUBLIC'));

-- "Public videos, newest first" for the home page: READY PUBLIC rows in created_at order.
CREATE INDEX videos_visibility_created_idx ON videos (visibility, state, created_at);

-- One WebVTT track per video and language; the text itself lives in the blob store
-- (hls/{video}/subs/{language}/0.vtt), this row is what the API lists and the master playlist
-- names.
CREATE TABLE video_subtitles (
    video_id   CHAR(11)     NOT NULL,
    -- A lower-case language tag such as "en" or "pt-br" (SubtitleTrack.checkLanguage).
    language   VARCHAR(16)  NOT NULL,
    -- What the player's menu shows (EXT-X-MEDIA NAME).
    name       VARCHAR(64)  NOT NULL,
    size_bytes BIGINT       NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT video_subtitles_pk PRIMARY KEY (video_id, language),
    CONSTRAINT video_subtitles_video_fk FOREIGN KEY (video_id) REFERENCES videos (id),
    CONSTRAINT video_subtitles_size_ck CHECK (size_bytes >= 0)
);
