-- Capability routing on a mixed fleet: a job whose source a jcodec worker cannot read (HEVC,
-- Matroska, …) is pinned to ffmpeg workers once one is known to be alive. NULL: any worker.
ALTER TABLE jobs ADD COLUMN requires_backend VARCHAR(16);
