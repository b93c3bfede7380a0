-- The console (bot/console): one-time sign-in links, sessions, the audit log and sign-in
-- attempt counters. Tokens and session ids are kept only as SHA-256 hashes; the audit log names
-- people by alias and never holds personal data.

CREATE TABLE "console_link" (
    "token_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "membership_id" INTEGER,
    "club_id" TEXT,
    "alias" TEXT NOT NULL,
    "province" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "console_link_pkey" PRIMARY KEY ("token_hash")
);
CREATE INDEX "console_link_expires_at_idx" ON "console_link"("expires_at");
ALTER TABLE "console_link" ADD CONSTRAINT "console_link_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "club_membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "console_session" (
    "id_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "membership_id" INTEGER,
    "club_id" TEXT,
    "alias" TEXT NOT NULL,
    "province" TEXT,
    "csrf" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "console_session_pkey" PRIMARY KEY ("id_hash")
);
CREATE INDEX "console_session_membership_id_idx" ON "console_session"("membership_id");
CREATE INDEX "console_session_alias_idx" ON "console_session"("alias");
ALTER TABLE "console_session" ADD CONSTRAINT "console_session_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "club_membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "console_audit" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "club_id" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    CONSTRAINT "console_audit_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "console_audit_club_id_at_idx" ON "console_audit"("club_id", "at");

CREATE TABLE "console_signin_attempt" (
    "bucket" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "console_signin_attempt_pkey" PRIMARY KEY ("bucket","window_start")
);
