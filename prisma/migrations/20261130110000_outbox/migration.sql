-- The outbox: everything the bot says, written in the turn's transaction and deleted once the
-- platform has accepted it. See prisma/schema.prisma (engine: outbox).

CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "subject_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "payload_enc" TEXT NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leased_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "outbox_sent_check" CHECK ("sent" >= 0)
);
CREATE INDEX "outbox_subject_key_id_idx" ON "outbox"("subject_key", "id");
CREATE INDEX "outbox_next_attempt_at_idx" ON "outbox"("next_attempt_at");
