-- After-care clubs: schedules, membership, RSVPs, attendance, volunteers, invite codes and the
-- reminder delivery ledger. See prisma/schema.prisma and docs/clubs.md.

CREATE TABLE "club" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "province" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "commune" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "board_contacts" TEXT NOT NULL DEFAULT '',
    "time_zone" TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    "requires_invite" BOOLEAN NOT NULL DEFAULT true,
    "quiet_start" TEXT NOT NULL DEFAULT '21:00',
    "quiet_end" TEXT NOT NULL DEFAULT '07:00',
    "sample" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "club_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "club_province_district_commune_idx" ON "club"("province", "district", "commune");

CREATE TABLE "meeting_series" (
    "id" SERIAL NOT NULL,
    "club_id" TEXT NOT NULL,
    "rrule" TEXT NOT NULL,
    "dtstart" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "duration_min" INTEGER NOT NULL,
    "topic" TEXT NOT NULL,
    "venue" TEXT,
    "ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "meeting_series_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "meeting_occurrence" (
    "id" SERIAL NOT NULL,
    "series_id" INTEGER NOT NULL,
    "club_id" TEXT NOT NULL,
    "original_start" TIMESTAMPTZ(3) NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "topic" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3),
    CONSTRAINT "meeting_occurrence_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "meeting_occurrence_series_id_original_start_key" ON "meeting_occurrence"("series_id", "original_start");
CREATE INDEX "meeting_occurrence_club_id_starts_at_idx" ON "meeting_occurrence"("club_id", "starts_at");

CREATE TABLE "club_membership" (
    "id" SERIAL NOT NULL,
    "club_id" TEXT NOT NULL,
    "subject_key" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "alias" TEXT,
    "consent_at" TIMESTAMPTZ(3) NOT NULL,
    "offsets" TEXT NOT NULL DEFAULT '1440,120',
    "reminders_on" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'active',
    "left_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "club_membership_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "club_membership_club_id_subject_key_key" ON "club_membership"("club_id", "subject_key");
CREATE UNIQUE INDEX "club_membership_club_id_alias_key" ON "club_membership"("club_id", "alias");
CREATE INDEX "club_membership_subject_key_idx" ON "club_membership"("subject_key");

CREATE TABLE "club_rsvp" (
    "occurrence_id" INTEGER NOT NULL,
    "membership_id" INTEGER NOT NULL,
    "answer" TEXT NOT NULL,
    "answered_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "club_rsvp_pkey" PRIMARY KEY ("occurrence_id", "membership_id")
);

CREATE TABLE "club_attendance" (
    "occurrence_id" INTEGER NOT NULL,
    "membership_id" INTEGER NOT NULL,
    "present" BOOLEAN NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "club_attendance_pkey" PRIMARY KEY ("occurrence_id", "membership_id")
);

CREATE TABLE "club_progress_note" (
    "id" SERIAL NOT NULL,
    "membership_id" INTEGER NOT NULL,
    "month" DATE NOT NULL,
    "status" TEXT NOT NULL,
    "note_enc" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "club_progress_note_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "club_progress_note_membership_id_month_key" ON "club_progress_note"("membership_id", "month");

CREATE TABLE "volunteer_assignment" (
    "id" SERIAL NOT NULL,
    "club_id" TEXT NOT NULL,
    "volunteer_id" INTEGER NOT NULL,
    "member_id" INTEGER NOT NULL,
    "member_alias" TEXT NOT NULL,
    "cadence_days" INTEGER NOT NULL,
    "next_due_at" TIMESTAMPTZ(3) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    CONSTRAINT "volunteer_assignment_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "volunteer_assignment_volunteer_id_member_id_key" ON "volunteer_assignment"("volunteer_id", "member_id");

CREATE TABLE "volunteer_check_in" (
    "id" SERIAL NOT NULL,
    "assignment_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "next_at" TIMESTAMPTZ(3),
    CONSTRAINT "volunteer_check_in_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "volunteer_check_in_assignment_id_at_idx" ON "volunteer_check_in"("assignment_id", "at");

CREATE TABLE "club_invite_code" (
    "code" TEXT NOT NULL,
    "club_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "alias" TEXT,
    "max_uses" INTEGER NOT NULL,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "club_invite_code_pkey" PRIMARY KEY ("code")
);

CREATE TABLE "reminder_delivery" (
    "id" BIGSERIAL NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "club_id" TEXT NOT NULL,
    "membership_id" INTEGER,
    "occurrence_id" INTEGER,
    "assignment_id" INTEGER,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "send_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "reminder_delivery_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "reminder_delivery_dedupe_key_key" ON "reminder_delivery"("dedupe_key");
CREATE INDEX "reminder_delivery_status_send_at_idx" ON "reminder_delivery"("status", "send_at");
CREATE INDEX "reminder_delivery_club_id_created_at_idx" ON "reminder_delivery"("club_id", "created_at");

CREATE TABLE "channel_rate" (
    "channel" TEXT NOT NULL,
    "next_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "channel_rate_pkey" PRIMARY KEY ("channel")
);

ALTER TABLE "meeting_series" ADD CONSTRAINT "meeting_series_club_id_fkey" FOREIGN KEY ("club_id") REFERENCES "club"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "meeting_occurrence" ADD CONSTRAINT "meeting_occurrence_series_id_fkey" FOREIGN KEY ("series_id") REFERENCES "meeting_series"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "meeting_occurrence" ADD CONSTRAINT "meeting_occurrence_club_id_fkey" FOREIGN KEY ("club_id") REFERENCES "club"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "club_membership" ADD CONSTRAINT "club_membership_club_id_fkey" FOREIGN KEY ("club_id") REFERENCES "club"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "club_rsvp" ADD CONSTRAINT "club_rsvp_occurrence_id_fkey" FOREIGN KEY ("occurrence_id") REFERENCES "meeting_occurrence"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "club_rsvp" ADD CONSTRAINT "club_rsvp_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "club_membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "club_attendance" ADD CONSTRAINT "club_attendance_occurrence_id_fkey" FOREIGN KEY ("occurrence_id") REFERENCES "meeting_occurrence"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "club_attendance" ADD CONSTRAINT "club_attendance_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "club_membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "club_progress_note" ADD CONSTRAINT "club_progress_note_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "club_membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "volunteer_assignment" ADD CONSTRAINT "volunteer_assignment_volunteer_id_fkey" FOREIGN KEY ("volunteer_id") REFERENCES "club_membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "volunteer_assignment" ADD CONSTRAINT "volunteer_assignment_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "club_membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "volunteer_check_in" ADD CONSTRAINT "volunteer_check_in_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "volunteer_assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "club_invite_code" ADD CONSTRAINT "club_invite_code_club_id_fkey" FOREIGN KEY ("club_id") REFERENCES "club"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "reminder_delivery" ADD CONSTRAINT "reminder_delivery_membership_id_fkey" FOREIGN KEY ("membership_id") REFERENCES "club_membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;
