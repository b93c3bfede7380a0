-- Đồng Hành: first schema. See prisma/schema.prisma for what each table is for.

CREATE TABLE "processed_event" (
    "channel" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "processed_event_pkey" PRIMARY KEY ("channel", "external_id")
);
CREATE INDEX "processed_event_received_at_idx" ON "processed_event"("received_at");

CREATE TABLE "conversation" (
    "subject_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "locale" TEXT,
    "flow" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "no_storage" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "conversation_pkey" PRIMARY KEY ("subject_key")
);
CREATE INDEX "conversation_updated_at_idx" ON "conversation"("updated_at");

CREATE TABLE "contact" (
    "subject_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "last_inbound_at" TIMESTAMPTZ(3),
    "address_enc" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "contact_pkey" PRIMARY KEY ("subject_key")
);

CREATE TABLE "consent" (
    "subject_key" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3),
    CONSTRAINT "consent_pkey" PRIMARY KEY ("subject_key", "purpose")
);

CREATE TABLE "screening_result" (
    "id" BIGSERIAL NOT NULL,
    "instrument" TEXT NOT NULL,
    "substance" TEXT,
    "score" INTEGER NOT NULL,
    "band" TEXT NOT NULL,
    "age_group" TEXT NOT NULL,
    "province" TEXT,
    "day" DATE NOT NULL,
    "channel" TEXT NOT NULL,
    CONSTRAINT "screening_result_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "screening_result_day_idx" ON "screening_result"("day");

CREATE TABLE "interaction_log" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "day_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "event_kind" TEXT NOT NULL,
    "choice_id" TEXT,
    "latency_ms" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "interaction_log_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "interaction_log_created_at_idx" ON "interaction_log"("created_at");
CREATE INDEX "interaction_log_day_day_key_idx" ON "interaction_log"("day", "day_key");
