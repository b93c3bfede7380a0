-- Zalo: the OA token pair (encrypted) and the durable inbound queue. See prisma/schema.prisma.

CREATE TABLE "zalo_oa_token" (
    "app_id" TEXT NOT NULL,
    "access_token_enc" TEXT NOT NULL,
    "refresh_token_enc" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "seed_hash" TEXT,
    "refreshed_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "failed_at" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "zalo_oa_token_pkey" PRIMARY KEY ("app_id")
);

CREATE TABLE "inbound_event" (
    "id" BIGSERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "subject_key" TEXT NOT NULL,
    "payload_enc" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leased_until" TIMESTAMPTZ(3),
    CONSTRAINT "inbound_event_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "inbound_event_channel_external_id_key" ON "inbound_event"("channel", "external_id");
CREATE INDEX "inbound_event_subject_key_id_idx" ON "inbound_event"("subject_key", "id");
CREATE INDEX "inbound_event_channel_next_attempt_at_idx" ON "inbound_event"("channel", "next_attempt_at");
