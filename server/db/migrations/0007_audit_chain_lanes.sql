-- The audit chain is kept in 8 lanes so that concurrent writers do not wait on one another
-- (docs/decisions/013-audit-chain-lanes.md). Each lane is a hash chain of its own, numbered by chain_seq;
-- seq stays the primary key and the global order, now taken from a sequence (it may have gaps).
-- The record format and kith_audit_digest do not change: every existing record goes to lane 1 as it is.
CREATE SEQUENCE "public"."audit_events_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER SEQUENCE "public"."audit_events_seq" OWNED BY "audit_events"."seq";--> statement-breakpoint
SELECT setval('audit_events_seq', coalesce((SELECT max(seq) FROM audit_events), 0) + 1, false);--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "seq" SET DEFAULT nextval('audit_events_seq');--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "chain" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
-- Until now there was one chain with consecutive seq numbers: it becomes lane 1, position for position.
-- The append-only trigger refuses UPDATE, so it is off for this one statement, inside the migration's transaction.
ALTER TABLE "audit_events" DISABLE TRIGGER audit_events_append_only;--> statement-breakpoint
UPDATE "audit_events" SET "chain_seq" = "seq";--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE TRIGGER audit_events_append_only;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "chain_seq" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_chain_idx" ON "audit_events" USING btree ("chain","chain_seq");--> statement-breakpoint
-- Head row 1 keeps its tip (its seq is now lane 1's last chain_seq, the same number); lanes 2..8 start empty.
INSERT INTO audit_chain_head (id, seq, hash)
  SELECT lane, 0, repeat('0', 64) FROM generate_series(2, 8) AS lane
  ON CONFLICT (id) DO NOTHING;--> statement-breakpoint
-- Appends records (a JSON array of audit_events rows without seq, lane, time and hashes) in one statement.
-- It takes the first free lane, trying this connection's own lane first, without waiting for a locked one
-- (SKIP LOCKED); only when all 8 are taken does it wait, for its own. A transaction that already appended keeps
-- to the lane it holds (remembered for the transaction in kith.audit_lane), so it never holds two.
-- The lane is locked only while this runs, or until the caller's transaction ends.
CREATE OR REPLACE FUNCTION kith_audit_append(entries jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  preferred integer := 1 + pg_backend_pid() % 8;
  held integer := nullif(current_setting('kith.audit_lane', true), '')::integer;
  head audit_chain_head;
  entry jsonb;
  rec audit_events;
BEGIN
  IF held IS NOT NULL THEN
    SELECT * INTO head FROM audit_chain_head WHERE id = held FOR UPDATE;
  END IF;
  IF head.id IS NULL THEN
    SELECT * INTO head FROM audit_chain_head
      ORDER BY (id = preferred) DESC, id
      FOR UPDATE SKIP LOCKED LIMIT 1;
  END IF;
  IF head.id IS NULL THEN
    SELECT * INTO head FROM audit_chain_head WHERE id = preferred FOR UPDATE;
  END IF;
  IF head.id IS NULL THEN
    RAISE EXCEPTION 'audit chain lane % has no head row', preferred;
  END IF;
  PERFORM set_config('kith.audit_lane', head.id::text, true);
  FOR entry IN SELECT value FROM jsonb_array_elements(entries) LOOP
    rec := jsonb_populate_record(NULL::audit_events, entry);
    rec.seq := nextval('audit_events_seq');
    rec.chain := head.id;
    rec.chain_seq := head.seq + 1;
    rec.occurred_at := clock_timestamp();
    rec.emergency := coalesce(rec.emergency, false);
    rec.prev_hash := head.hash;
    rec.hash := kith_audit_digest(rec);
    INSERT INTO audit_events SELECT rec.*;
    head.seq := rec.chain_seq;
    head.hash := rec.hash;
  END LOOP;
  UPDATE audit_chain_head SET seq = head.seq, hash = head.hash WHERE id = head.id;
END;
$$;
