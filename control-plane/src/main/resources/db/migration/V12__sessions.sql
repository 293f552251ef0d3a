-- Browser sign-in (docs/web-ui.md, "Sessions, CSRF, login"): one row per signed-in browser, and a
-- way to switch an account off without deleting it. Portable like V1–V11: standard SQL that H2 2.x
-- and PostgreSQL take.

-- Set when an admin disables the account: its sessions are deleted and its API keys refused until
-- an admin enables it again (NULL).
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP(6) WITH TIME ZONE;

CREATE TABLE sessions (
    -- SHA-256 of the cookie value (256 random bits), lower-case hex. As with API keys, a fast hash
    -- is enough for a random secret, and a copy of the database lets nobody sign in.
    id_hash      VARCHAR(64)  NOT NULL PRIMARY KEY,
    user_id      BIGINT       NOT NULL,
    -- Sent back by the pages in X-CSRF-Token on every state-changing request. Not a secret from
    -- the signed-in user, so kept as it is (base64url of 256 random bits).
    csrf_token   VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    -- Written at most once a minute per session, so the idle timeout costs few writes.
    last_seen_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    -- When the session ends unless used again: the earlier of last_seen_at plus the idle timeout
    -- and created_at plus the longest a session may live. One column, so that "is it valid" and
    -- the purge are each one comparison on it.
    expires_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
);

-- "End every session of this user" (disable, password reset).
CREATE INDEX sessions_user_idx ON sessions (user_id);
-- The purge of expired sessions.
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
