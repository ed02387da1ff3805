/* multiuser — the constraint, the audit trail and the roles of a shared
 * PostgreSQL workspace; see multiuser.h.
 *
 * Everything is plain SQL run through the store (which passes it to the
 * server as it is: no `?`, and none of the words the back end rewrites in
 * DDL, appear in it). The workspace is the connection's current schema, so
 * unqualified names land there; role names are made by the server itself
 * (format('%I')), never pasted into SQL here. */
#include "multiuser.h"

#include <string.h>

/* The period of a lease as a date range, [start, end) with no end = open,
 * exactly the C check's test (lease.c: start < other end and other start <
 * end, a missing end counting as 9999-12-31). Built with make_date, which is
 * immutable (a cast from text is not), so it may sit in a constraint. */
static const char period_sql[] =
    "CREATE OR REPLACE FUNCTION ccn_lease_period(s text, e text) RETURNS daterange"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$"
    " SELECT daterange(make_date(substr(s, 1, 4)::int, substr(s, 6, 2)::int,"
    "  substr(s, 9, 2)::int), make_date(substr(coalesce(e, '9999-12-31'), 1, 4)::int,"
    "  substr(coalesce(e, '9999-12-31'), 6, 2)::int, substr(coalesce(e, '9999-12-31'), 9, 2)::int),"
    "  '[)') $f$;"
    /* btree_gist gives text its = in a GiST index; it goes beside PostGIS,
     * never into the workspace schema (which ccn init --force drops). */
    "DO $d$ DECLARE s text; BEGIN"
    " IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gist') THEN"
    "  SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
    "   WHERE e.extname = 'postgis';"
    "  EXECUTE format('CREATE EXTENSION btree_gist SCHEMA %I', s);"
    " END IF;"
    " IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'leases_no_overlap'"
    "   AND conrelid = 'leases'::regclass) THEN"
    "  ALTER TABLE leases ADD CONSTRAINT leases_no_overlap EXCLUDE USING gist"
    "   (cluster WITH =, lot_no WITH =, ccn_lease_period(start_date, end_date) WITH &&);"
    " END IF; END $d$;";

/* The audit trail. The trigger runs as its owner (SECURITY DEFINER), so
 * editors need no right on `audit` and cannot write it themselves; it
 * numbers rows itself (not ccn_next_fid, whose value last_insert_rowid()
 * must keep for the lease being written) under a lock of its own, as
 * writers outside ccn do not take the workspace's write lock. The rows are
 * json, not jsonb: json keeps its text as written, so a copy to SQLite and
 * back gives the same bytes (and the same digest). */
static const char audit_sql[] =
    "CREATE TABLE IF NOT EXISTS audit (fid bigint PRIMARY KEY, at text NOT NULL,"
    " who text NOT NULL, role text, op text NOT NULL, tbl text NOT NULL, row_fid bigint,"
    " before json, after json);"
    "CREATE OR REPLACE FUNCTION ccn_audit_row() RETURNS trigger LANGUAGE plpgsql"
    " SECURITY DEFINER SET search_path FROM CURRENT AS $f$"
    " DECLARE n bigint; BEGIN"
    "  PERFORM pg_advisory_xact_lock('audit'::regclass::oid::bigint);"
    "  SELECT coalesce(max(fid), 0) + 1 INTO n FROM audit;"
    "  INSERT INTO audit VALUES (n,"
    "   to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    "   session_user, nullif(current_setting('role'), 'none'), TG_OP, TG_TABLE_NAME,"
    "   CASE WHEN TG_OP = 'DELETE' THEN OLD.fid ELSE NEW.fid END,"
    "   CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_json(OLD) END,"
    "   CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_json(NEW) END);"
    "  RETURN NULL; END $f$;"
    "DROP TRIGGER IF EXISTS leases_audit ON leases;"
    "CREATE TRIGGER leases_audit AFTER INSERT OR UPDATE OR DELETE ON leases"
    " FOR EACH ROW EXECUTE FUNCTION ccn_audit_row();"
    "DROP TRIGGER IF EXISTS imports_audit ON imports;"
    "CREATE TRIGGER imports_audit AFTER INSERT OR UPDATE OR DELETE ON imports"
    " FOR EACH ROW EXECUTE FUNCTION ccn_audit_row();";

/* The three group roles and their rights; ccn_grant_access(level, member)
 * for `ccn grant`. The names come from ccn_role_name, so two workspaces of
 * one server never share a role. Rights are set again on every run, so a
 * table added since gets them. */
static const char roles_sql[] =
    "CREATE OR REPLACE FUNCTION ccn_role_name(level text) RETURNS text LANGUAGE sql STABLE AS $f$"
    " SELECT CASE WHEN length(b) > 50 THEN left(b, 41) || '_' || left(md5(b), 8) ELSE b END"
    "  || '_' || level FROM (SELECT current_database() || '_' || current_schema() AS b) x $f$;"
    "CREATE OR REPLACE FUNCTION ccn_apply_rights() RETURNS void LANGUAGE plpgsql AS $f$"
    " DECLARE v text := ccn_role_name('viewer'); e text := ccn_role_name('editor');"
    "  a text := ccn_role_name('admin'); s text := current_schema(); t record; BEGIN"
    "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v) THEN"
    "   EXECUTE format('CREATE ROLE %I NOLOGIN', v); END IF;"
    "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = e) THEN"
    "   EXECUTE format('CREATE ROLE %I NOLOGIN', e); END IF;"
    "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = a) THEN"
    "   EXECUTE format('CREATE ROLE %I NOLOGIN', a); END IF;"
    "  EXECUTE format('GRANT %I TO %I', v, e);"
    "  EXECUTE format('GRANT %I TO %I', e, a);"
    /* whoever sets the workspace up administers it, and may hand ownership over */
    "  IF NOT pg_has_role(current_user, a, 'MEMBER') THEN"
    "   EXECUTE format('GRANT %I TO %I', a, current_user); END IF;"
    "  EXECUTE format('ALTER SCHEMA %I OWNER TO %I', s, a);"
    "  FOR t IN SELECT c.relname, c.relkind FROM pg_class c WHERE c.relnamespace = quote_ident(s)::regnamespace"
    "   AND c.relkind IN ('r', 'v') LOOP"
    "   EXECUTE format(CASE t.relkind WHEN 'v' THEN 'ALTER VIEW %I.%I OWNER TO %I'"
    "    ELSE 'ALTER TABLE %I.%I OWNER TO %I' END, s, t.relname, a);"
    "  END LOOP;"
    "  FOR t IN SELECT p.oid::regprocedure AS f FROM pg_proc p WHERE p.pronamespace = quote_ident(s)::regnamespace LOOP"
    "   EXECUTE format('ALTER FUNCTION %s OWNER TO %I', t.f, a);"
    "  END LOOP;"
    "  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, v);"
    "  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', s, v);"
    "  EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, v);"
    /* a check's result: the findings and ccn_meta's last_check */
    "  EXECUTE format('GRANT INSERT, DELETE ON findings TO %I', v);"
    "  EXECUTE format('GRANT INSERT, UPDATE ON ccn_meta TO %I', v);"
    "  EXECUTE format('GRANT INSERT, UPDATE, DELETE ON leases TO %I', e);"
    "  EXECUTE format('GRANT INSERT ON imports TO %I', e);"
    "  ALTER TABLE ccn_meta ENABLE ROW LEVEL SECURITY;"
    "  DROP POLICY IF EXISTS ccn_meta_read ON ccn_meta;"
    "  DROP POLICY IF EXISTS ccn_meta_admin ON ccn_meta;"
    "  DROP POLICY IF EXISTS ccn_meta_check ON ccn_meta;"
    "  CREATE POLICY ccn_meta_read ON ccn_meta FOR SELECT USING (true);"
    "  EXECUTE format('CREATE POLICY ccn_meta_admin ON ccn_meta TO %I USING (true)"
    "   WITH CHECK (true)', a);"
    "  EXECUTE format('CREATE POLICY ccn_meta_check ON ccn_meta TO %I"
    "   USING (key = %L) WITH CHECK (key = %L)', v, 'last_check', 'last_check');"
    " END $f$;"
    "CREATE OR REPLACE FUNCTION ccn_grant_access(level text, grantee text) RETURNS void"
    " LANGUAGE plpgsql AS $f$ DECLARE l text; BEGIN"
    "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = grantee) THEN"
    "   RAISE EXCEPTION USING ERRCODE = 'undefined_object',"
    "    MESSAGE = format('no PostgreSQL role %L: create it first (CREATE ROLE %I LOGIN"
    " PASSWORD ...), then grant it access', grantee, grantee);"
    "  END IF;"
    "  FOREACH l IN ARRAY ARRAY['admin', 'editor', 'viewer'] LOOP"
    "   IF EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = ccn_role_name(l)::regrole"
    "      AND m.member = grantee::regrole) THEN"
    "    EXECUTE format('REVOKE %I FROM %I', ccn_role_name(l), grantee);"
    "   END IF;"
    "  END LOOP;"
    "  EXECUTE format('GRANT %I TO %I', ccn_role_name(level), grantee);"
    " END $f$;"
    "SELECT ccn_apply_rights();";

static bool is_pg(ccn_store *s) { return ccn_store_dialect(s) == CCN_DIALECT_POSTGRES; }

ccn_status ccn_multiuser_install(ccn_store *s)
{
    if (!is_pg(s))
        return CCN_OK;
    ccn_status st;
    if ((st = ccn_store_begin(s)))
        return st;
    if ((st = ccn_store_exec(s, period_sql)) || (st = ccn_store_exec(s, audit_sql)) ||
        (st = ccn_store_exec(s, roles_sql)) || (st = ccn_store_commit(s)))
        ccn_store_rollback(s);
    return st;
}

bool ccn_multiuser_parse(const char *word, ccn_access *access)
{
    static const char *const words[] = {"viewer", "editor", "admin"};
    for (int i = 0; i < 3; i++)
        if (strcmp(word, words[i]) == 0) {
            *access = (ccn_access)i;
            return true;
        }
    return false;
}

ccn_status ccn_multiuser_grant(ccn_store *s, ccn_access access, const char *role)
{
    static const char *const words[] = {"viewer", "editor", "admin"};
    if (!is_pg(s))
        return ccn_error(ccn_store_ctx(s), CCN_ERR_INPUT,
                         "'%s' is a SQLite file: who may read or change it is the file's "
                         "permissions (chmod, chown); ccn grant gives rights on a PostgreSQL "
                         "workspace",
                         ccn_store_path(s));
    ccn_stmt *q = NULL;
    ccn_status st = ccn_store_begin(s);
    if (st)
        return st;
    /* A workspace made before the roles existed gets them now. */
    if ((st = ccn_multiuser_install(s)) ||
        (st = ccn_stmt_prepare(s, "SELECT ccn_grant_access(?1, ?2)::text", &q)))
        goto done;
    ccn_stmt_bind_text(q, 1, words[access]);
    ccn_stmt_bind_text(q, 2, role);
    if (ccn_stmt_step(q) < 0) {
        st = CCN_ERR_INPUT;
        goto done;
    }
    ccn_stmt_free(q);
    q = NULL;
    st = ccn_store_commit(s);
done:
    ccn_stmt_free(q);
    if (st)
        ccn_store_rollback(s);
    return st;
}
