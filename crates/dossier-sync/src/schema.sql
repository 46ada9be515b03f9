-- Dossier's team server: the ordered log of each team's changes, who may read and append it.
--
-- Installed by `PgServer::install_schema` (idempotent; run in one transaction under an advisory
-- lock). The role that installs it owns the schema and is trusted as its administrator: an owner
-- can always alter its own tables. Analysts are ordinary login roles; row-level security, enabled
-- and forced on every table, restricts them:
--   * a role sees only the teams it owns or belongs to, and their log;
--   * it appends a change only under its own name (author = current_user) and only to a team it
--     belongs to; the log is append-only (no UPDATE, no DELETE);
--   * membership is written only by SECURITY DEFINER functions that check the caller owns the team;
--   * a team that requires TLS (the default) is neither read nor appended over a connection
--     without TLS (pg_stat_ssl of the backend).
-- Positions (`seq`) are per team and gap-free: the insert trigger takes the team's transaction
-- advisory lock, then numbers the row after the team's last one. The lock is held until commit,
-- so pushes commit in `seq` order and a reader of `seq > n` never misses a row that commits later.

CREATE SCHEMA IF NOT EXISTS dossier;

CREATE TABLE IF NOT EXISTS dossier.team (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    owner       name NOT NULL DEFAULT current_user,
    require_tls boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS dossier.member (
    team       uuid NOT NULL REFERENCES dossier.team (id) ON DELETE CASCADE,
    role       name NOT NULL,
    granted_by name NOT NULL DEFAULT current_user,
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team, role)
);
CREATE INDEX IF NOT EXISTS member_role ON dossier.member (role);

-- `old` and `new` are `json`, not `jsonb`: stored as sent and handed back byte for byte. jsonb
-- refuses a string holding U+0000 (which imported text can carry), and one refused change would
-- block a replica's every later push.
CREATE TABLE IF NOT EXISTS dossier.change (
    team       uuid NOT NULL REFERENCES dossier.team (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    change_uid text NOT NULL,
    tx_uid     text NOT NULL,
    replica    text NOT NULL,
    tbl        text NOT NULL,
    row_uid    text NOT NULL,
    op         text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    old        json,
    new        json,
    made_at    text NOT NULL,
    author     name NOT NULL DEFAULT current_user,
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team, seq),
    UNIQUE (team, change_uid)
);

CREATE TABLE IF NOT EXISTS dossier.replica (
    team      uuid NOT NULL REFERENCES dossier.team (id) ON DELETE CASCADE,
    replica   text NOT NULL,
    role      name NOT NULL DEFAULT current_user,
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team, replica)
);

-- Whether this backend's connection is encrypted.
CREATE OR REPLACE FUNCTION dossier.conn_is_tls() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT s.ssl FROM pg_catalog.pg_stat_ssl s
                     WHERE s.pid = pg_catalog.pg_backend_pid()), false)
$$;

-- The advisory lock key of a team's log.
CREATE OR REPLACE FUNCTION dossier.team_lock(p_team uuid) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT pg_catalog.hashtextextended('dossier.change:' || p_team::text, 0)
$$;

-- Raises a plain error unless the current role may use the team's log over this connection.
CREATE OR REPLACE FUNCTION dossier.assert_access(p_team uuid) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t record;
BEGIN
    SELECT tm.name, tm.require_tls INTO t FROM dossier.team tm
    WHERE tm.id = p_team
      AND EXISTS (SELECT 1 FROM dossier.member m WHERE m.team = tm.id AND m.role = current_user);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'you are not a member of this team' USING ERRCODE = '42501';
    END IF;
    IF t.require_tls AND NOT dossier.conn_is_tls() THEN
        RAISE EXCEPTION 'team "%" requires TLS and this connection is not encrypted (use sslmode=require or verify-full)', t.name
            USING ERRCODE = '28000';
    END IF;
    RETURN true;
END
$$;

-- Numbers each appended change: the team's lock first, then one after the team's last position.
CREATE OR REPLACE FUNCTION dossier.change_number() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(dossier.team_lock(NEW.team));
    SELECT coalesce(max(c.seq), 0) + 1 INTO NEW.seq FROM dossier.change c WHERE c.team = NEW.team;
    NEW.at := pg_catalog.now();
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS change_number ON dossier.change;
CREATE TRIGGER change_number BEFORE INSERT ON dossier.change
    FOR EACH ROW EXECUTE FUNCTION dossier.change_number();

-- Creates a team owned by the caller, who becomes its first member.
CREATE OR REPLACE FUNCTION dossier.create_team(p_name text) RETURNS SETOF dossier.team
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t dossier.team;
BEGIN
    IF p_name IS NULL OR btrim(p_name) = '' THEN
        RAISE EXCEPTION 'a team needs a name' USING ERRCODE = '22023';
    END IF;
    INSERT INTO dossier.team (name, owner) VALUES (p_name, session_user)
        ON CONFLICT (name) DO NOTHING RETURNING * INTO t;
    IF t.id IS NULL THEN
        RAISE EXCEPTION 'a team named "%" already exists', p_name USING ERRCODE = '42710';
    END IF;
    INSERT INTO dossier.member (team, role, granted_by) VALUES (t.id, session_user, session_user);
    RETURN NEXT t;
END
$$;

-- The team, if the caller owns it; raises otherwise.
CREATE OR REPLACE FUNCTION dossier.owned_team(p_team uuid) RETURNS dossier.team
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t dossier.team;
BEGIN
    SELECT * INTO t FROM dossier.team WHERE id = p_team;
    IF t.id IS NULL OR NOT EXISTS (SELECT 1 FROM dossier.member m
                                   WHERE m.team = p_team AND m.role = session_user) THEN
        RAISE EXCEPTION 'you are not a member of this team' USING ERRCODE = '42501';
    END IF;
    IF t.owner <> session_user THEN
        RAISE EXCEPTION 'only the owner of team "%" (%) can change its members', t.name, t.owner
            USING ERRCODE = '42501';
    END IF;
    RETURN t;
END
$$;

CREATE OR REPLACE FUNCTION dossier.grant(p_team uuid, p_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM dossier.owned_team(p_team);
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_role) THEN
        RAISE EXCEPTION 'there is no PostgreSQL role named "%" (creating roles is the DBA''s job)', p_role
            USING ERRCODE = '42704';
    END IF;
    INSERT INTO dossier.member (team, role, granted_by) VALUES (p_team, p_role, session_user)
        ON CONFLICT (team, role) DO NOTHING;
END
$$;

CREATE OR REPLACE FUNCTION dossier.revoke(p_team uuid, p_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t dossier.team;
BEGIN
    t := dossier.owned_team(p_team);
    IF p_role = t.owner THEN
        RAISE EXCEPTION 'the owner of team "%" stays a member', t.name USING ERRCODE = '42501';
    END IF;
    DELETE FROM dossier.member WHERE team = p_team AND role = p_role;
    IF NOT FOUND THEN
        RAISE EXCEPTION '"%" is not a member of team "%"', p_role, t.name USING ERRCODE = '42704';
    END IF;
END
$$;

-- The members of a team the caller belongs to.
CREATE OR REPLACE FUNCTION dossier.members(p_team uuid)
RETURNS TABLE (role text, granted_by text, at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM dossier.member m WHERE m.team = p_team AND m.role = session_user) THEN
        RAISE EXCEPTION 'you are not a member of this team' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY SELECT m.role::text, m.granted_by::text, m.at FROM dossier.member m
        WHERE m.team = p_team ORDER BY m.at, m.role;
END
$$;

-- The policies spell their conditions out rather than calling SQL functions: a function call in a
-- policy is planned again at each evaluation, and the insert trigger evaluates them per row.
-- "Usable teams" = the current role's teams whose TLS requirement this connection meets;
-- "admin" = the role owns the schema (SECURITY DEFINER functions run as it and see all rows).
ALTER TABLE dossier.team ENABLE ROW LEVEL SECURITY;
ALTER TABLE dossier.team FORCE ROW LEVEL SECURITY;
ALTER TABLE dossier.member ENABLE ROW LEVEL SECURITY;
ALTER TABLE dossier.member FORCE ROW LEVEL SECURITY;
ALTER TABLE dossier.change ENABLE ROW LEVEL SECURITY;
ALTER TABLE dossier.change FORCE ROW LEVEL SECURITY;
ALTER TABLE dossier.replica ENABLE ROW LEVEL SECURITY;
ALTER TABLE dossier.replica FORCE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS team_read ON dossier.team;
CREATE POLICY team_read ON dossier.team FOR SELECT
    USING (owner = current_user
           OR id IN (SELECT m.team FROM dossier.member m WHERE m.role = current_user));
DROP POLICY IF EXISTS team_admin ON dossier.team;
CREATE POLICY team_admin ON dossier.team FOR ALL
    USING (pg_catalog.pg_has_role(current_user,
        (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'dossier'), 'USAGE')) WITH CHECK (pg_catalog.pg_has_role(current_user,
        (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'dossier'), 'USAGE'));

DROP POLICY IF EXISTS member_read ON dossier.member;
CREATE POLICY member_read ON dossier.member FOR SELECT USING (role = current_user);
DROP POLICY IF EXISTS member_admin ON dossier.member;
CREATE POLICY member_admin ON dossier.member FOR ALL
    USING (pg_catalog.pg_has_role(current_user,
        (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'dossier'), 'USAGE')) WITH CHECK (pg_catalog.pg_has_role(current_user,
        (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'dossier'), 'USAGE'));

DROP POLICY IF EXISTS change_read ON dossier.change;
CREATE POLICY change_read ON dossier.change FOR SELECT
    USING (team IN (
        SELECT m.team FROM dossier.member m JOIN dossier.team t ON t.id = m.team
        WHERE m.role = current_user
          AND (NOT t.require_tls
               OR coalesce((SELECT s.ssl FROM pg_catalog.pg_stat_ssl s
                            WHERE s.pid = pg_catalog.pg_backend_pid()), false))));
DROP POLICY IF EXISTS change_append ON dossier.change;
CREATE POLICY change_append ON dossier.change FOR INSERT
    WITH CHECK (author = current_user AND team IN (
        SELECT m.team FROM dossier.member m JOIN dossier.team t ON t.id = m.team
        WHERE m.role = current_user
          AND (NOT t.require_tls
               OR coalesce((SELECT s.ssl FROM pg_catalog.pg_stat_ssl s
                            WHERE s.pid = pg_catalog.pg_backend_pid()), false))));

DROP POLICY IF EXISTS replica_read ON dossier.replica;
CREATE POLICY replica_read ON dossier.replica FOR SELECT
    USING (team IN (
        SELECT m.team FROM dossier.member m JOIN dossier.team t ON t.id = m.team
        WHERE m.role = current_user
          AND (NOT t.require_tls
               OR coalesce((SELECT s.ssl FROM pg_catalog.pg_stat_ssl s
                            WHERE s.pid = pg_catalog.pg_backend_pid()), false))));
DROP POLICY IF EXISTS replica_add ON dossier.replica;
CREATE POLICY replica_add ON dossier.replica FOR INSERT
    WITH CHECK (role = current_user AND team IN (
        SELECT m.team FROM dossier.member m JOIN dossier.team t ON t.id = m.team
        WHERE m.role = current_user
          AND (NOT t.require_tls
               OR coalesce((SELECT s.ssl FROM pg_catalog.pg_stat_ssl s
                            WHERE s.pid = pg_catalog.pg_backend_pid()), false))));
DROP POLICY IF EXISTS replica_touch ON dossier.replica;
CREATE POLICY replica_touch ON dossier.replica FOR UPDATE
    USING (role = current_user)
    WITH CHECK (role = current_user AND team IN (
        SELECT m.team FROM dossier.member m JOIN dossier.team t ON t.id = m.team
        WHERE m.role = current_user
          AND (NOT t.require_tls
               OR coalesce((SELECT s.ssl FROM pg_catalog.pg_stat_ssl s
                            WHERE s.pid = pg_catalog.pg_backend_pid()), false))));

-- Privileges go to every role; the policies above do the restricting. A DBA who wants fewer
-- roles near the schema revokes CONNECT on the database instead.
GRANT USAGE ON SCHEMA dossier TO PUBLIC;
GRANT SELECT ON dossier.team, dossier.member TO PUBLIC;
GRANT SELECT, INSERT ON dossier.change TO PUBLIC;
GRANT SELECT, INSERT, UPDATE ON dossier.replica TO PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON dossier.change FROM PUBLIC;

COMMENT ON SCHEMA dossier IS 'Dossier team workspaces, schema 1';
