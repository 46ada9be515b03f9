-- The browser connector: the tokens it accepts, and the pairing requests that hand them out.
--
-- A token is stored as the SHA-256 of its text only: a copy of the workspace file (a backup, a
-- synced copy) must not let anyone call the connector. A revoked token keeps its row, so the
-- list still shows who had access and until when.
CREATE TABLE connector_token (
    id           INTEGER PRIMARY KEY,
    -- Random (128 bits, hex), stable across machines, for a future sync.
    uid          TEXT NOT NULL UNIQUE,
    -- Who asked for it, as the extension said ("Firefox", "Chromium") or "cli".
    client       TEXT NOT NULL CHECK (client <> ''),
    token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT,
    updated_at   TEXT NOT NULL
) STRICT;

-- A request to pair, made by an extension and decided in the app (or by `dossier connector pair
-- --approve`). In the database rather than in the serving process's memory, so that another
-- process can approve it. Local to this machine, hence no uid: a pairing is never synced.
--
-- The extension polls with a random secret, stored here hashed. Between approval and the
-- extension's next poll the token's text is held in `token`, then erased: that is the one moment
-- a token's text exists outside the extension.
CREATE TABLE connector_pairing (
    id             INTEGER PRIMARY KEY,
    request_sha256 TEXT NOT NULL UNIQUE CHECK (length(request_sha256) = 64),
    client         TEXT NOT NULL CHECK (client <> ''),
    origin         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'collected', 'expired')),
    token_id       INTEGER REFERENCES connector_token (id) ON DELETE SET NULL,
    token          TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (token IS NULL OR status = 'approved')
) STRICT;

CREATE INDEX connector_pairing_status ON connector_pairing (status);
