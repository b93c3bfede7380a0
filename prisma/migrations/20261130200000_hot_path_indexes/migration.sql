-- Indexes that every turn paid for and that their readers do not need as B-trees.
-- Every turn rewrites its person's conversation row. With no index on a column a turn changes,
-- PostgreSQL can write the new version beside the old one on the same page (a HOT update) and
-- touch no index at all; the index on updated_at prevented that on every turn. The retention
-- job (bot/jobs/retention.ts), its only reader, runs once an hour and can read the table whole.
-- fillfactor leaves each page room for the new versions.
DROP INDEX "conversation_updated_at_idx";
ALTER TABLE "conversation" SET (fillfactor = 70);
-- Append-only tables read by time only to purge them (hourly): a BRIN index, a summary per block
-- range, is a fraction of a B-tree's size and all but free to keep up on insert. Once purged
-- pages are reused, a range's summary widens and the purge reads more of the table; it stays
-- correct, and an hourly job can afford it.
DROP INDEX "interaction_log_created_at_idx";
CREATE INDEX "interaction_log_created_at_idx" ON "interaction_log" USING BRIN ("created_at");
DROP INDEX "processed_event_received_at_idx";
CREATE INDEX "processed_event_received_at_idx" ON "processed_event" USING BRIN ("received_at");
