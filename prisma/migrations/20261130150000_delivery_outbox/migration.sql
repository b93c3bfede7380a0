-- One delivery path: a due reminder or nudge (reminder_delivery, the plan) becomes an outbox row
-- linked back to it, sent by the outbox sender like any reply; finishing the outbox row records
-- the outcome on the plan row in the same statement. reminder_delivery.status 'sending' now means
-- "in the outbox". See bot/engine/outbox.ts and bot/jobs/reminders/dispatch.ts.

-- The plan row this outbox row delivers (null for a turn's replies); one outbox row per plan row.
ALTER TABLE "outbox" ADD COLUMN "delivery_id" BIGINT;
CREATE UNIQUE INDEX "outbox_delivery_id_key" ON "outbox"("delivery_id");
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "reminder_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- Platform parts of message `sent` already accepted (a long text split for the platform's
-- limit): a retry resumes from the part that failed.
ALTER TABLE "outbox" ADD COLUMN "part" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_part_check" CHECK ("part" >= 0);
-- No use after this (a meeting reminder once the meeting began); null: a day after created_at.
ALTER TABLE "outbox" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
