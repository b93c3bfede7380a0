-- One-time link codes: a web chat member takes their club memberships to Zalo or Telegram
-- (bot/clubs/link-code.ts). The code itself is never stored: only HMAC-SHA256(key derived from
-- PSEUDONYM_SECRET, code). A code lives 30 minutes and is deleted when used.
CREATE TABLE "link_code" (
    "code_hash" TEXT NOT NULL,
    "subject_key" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "link_code_pkey" PRIMARY KEY ("code_hash")
);
CREATE INDEX "link_code_subject_key_idx" ON "link_code"("subject_key");
CREATE INDEX "link_code_expires_at_idx" ON "link_code"("expires_at");

-- Wrong link codes sent by one chat identity, counted per window, so guessing is refused for a while.
CREATE TABLE "link_attempt" (
    "subject_key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "link_attempt_pkey" PRIMARY KEY ("subject_key")
);
CREATE INDEX "link_attempt_window_start_idx" ON "link_attempt"("window_start");
