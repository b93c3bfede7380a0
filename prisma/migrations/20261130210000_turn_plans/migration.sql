-- How the turn's database functions plan their statements (see 20261130190000_turn_write).
-- turn_begin reads the conversation by key, like turn_write and outbox_sent: a plan cached while
-- the table was nearly empty (a fresh deployment, the bench's first seconds) read it whole on
-- every turn (11% of the database's time in `perf`) until a VACUUM or ANALYZE replanned it.
ALTER FUNCTION turn_begin(text, text, text) SET enable_seqscan = off;
-- Generic plans, made once per connection. Left to choose, PostgreSQL planned some statements
-- again on every call: with array parameters (the sent rows' ids), a plan made for the values
-- at hand looks cheaper than the generic one, so it never switches. Measured with
-- track_functions, one client: outbox_sent 65 → 31 µs a call, turn_write 128 → 121 µs.
ALTER FUNCTION turn_begin(text, text, text) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION turn_write(text, text, timestamptz, boolean, text, text, text, jsonb, boolean, boolean, text, date, text, text, text, text, text, integer, text, text, double precision, bigint[], bigint[], text[], timestamptz)
  SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION outbox_sent(bigint[], text[], timestamptz) SET plan_cache_mode = force_generic_plan;
