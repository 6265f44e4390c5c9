-- The audit trail is append-only and hash-chained (docs/decisions/002-audit-log-hash-chain.md).
-- The digest of a record covers every column but `hash`, and the previous record's hash, in a fixed text form.
CREATE FUNCTION kith_audit_digest(e audit_events) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(
    e.prev_hash || E'\n' || concat_ws(E'\x1f',
      e.seq::text,
      e.id::text,
      to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      coalesce(e.organization_id::text, E'\\N'),
      coalesce(e.actor_user_id::text, E'\\N'),
      coalesce(e.actor_role, E'\\N'),
      coalesce(e.actor_label, E'\\N'),
      e.action,
      e.outcome,
      coalesce(e.patient_id::text, E'\\N'),
      coalesce(e.record_kind, E'\\N'),
      coalesce(e.record_id, E'\\N'),
      coalesce(e.ip, E'\\N'),
      coalesce(e.user_agent, E'\\N'),
      coalesce(e.reason, E'\\N'),
      e.emergency::text,
      coalesce(e.detail::text, E'\\N')
    ), 'UTF8')), 'hex')
$$;
--> statement-breakpoint
-- Appends records (a JSON array of audit_events rows without seq, time and hashes) in one statement:
-- the chain head is locked only while this runs, or until the caller's transaction ends.
CREATE FUNCTION kith_audit_append(entries jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  head audit_chain_head;
  entry jsonb;
  rec audit_events;
BEGIN
  SELECT * INTO head FROM audit_chain_head WHERE id = 1 FOR UPDATE;
  FOR entry IN SELECT value FROM jsonb_array_elements(entries) LOOP
    rec := jsonb_populate_record(NULL::audit_events, entry);
    rec.seq := head.seq + 1;
    rec.occurred_at := clock_timestamp();
    rec.emergency := coalesce(rec.emergency, false);
    rec.prev_hash := head.hash;
    rec.hash := kith_audit_digest(rec);
    INSERT INTO audit_events SELECT rec.*;
    head.seq := rec.seq;
    head.hash := rec.hash;
  END LOOP;
  UPDATE audit_chain_head SET seq = head.seq, hash = head.hash WHERE id = 1;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION kith_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
-- A database owner can still disable these triggers; `npm run kith -- audit verify` then shows the edit.
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION kith_audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION kith_audit_refuse_change();
--> statement-breakpoint
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
