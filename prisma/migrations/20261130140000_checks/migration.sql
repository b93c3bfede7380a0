-- The values each status, role, kind, reason, channel and outcome column may hold, exactly those
-- the code writes (the comment on each line names where they come from). Adding a value in the
-- code means a migration that replaces the constraint. NOT VALID: rows already there are not
-- re-read (a start must not stop on an old row); every row written from now on is checked.
-- docs/architecture.md, "Privacy rules" lists what each table holds.

-- processed_event.channel: bot/channels/types.ts CHANNEL_NAMES
ALTER TABLE "processed_event" ADD CONSTRAINT "processed_event_channel_check" CHECK ("channel" IN ('telegram', 'zalo-oa', 'zalo-bot', 'web')) NOT VALID;
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_channel_check" CHECK ("channel" IN ('telegram', 'zalo-oa', 'zalo-bot', 'web')) NOT VALID;
ALTER TABLE "contact" ADD CONSTRAINT "contact_channel_check" CHECK ("channel" IN ('telegram', 'zalo-oa', 'zalo-bot', 'web')) NOT VALID;
-- contact.status: bot/db/contact.ts ContactStatus
ALTER TABLE "contact" ADD CONSTRAINT "contact_status_check" CHECK ("status" IN ('active', 'blocked', 'outside_window', 'unfollowed')) NOT VALID;
-- consent.purpose: flows/types.ts ConsentPurpose
ALTER TABLE "consent" ADD CONSTRAINT "consent_purpose_check" CHECK ("purpose" IN ('screening', 'reminders', 'volunteering')) NOT VALID;
-- screening_result.instrument: flows/screening/result.ts
ALTER TABLE "screening_result" ADD CONSTRAINT "screening_result_instrument_check" CHECK ("instrument" IN ('ASSIST', 'CRAFFT')) NOT VALID;
-- screening_result.band: AssistBand, CrafftBand, and 'none' for no use
ALTER TABLE "screening_result" ADD CONSTRAINT "screening_result_band_check" CHECK ("band" IN ('none', 'low', 'moderate', 'high', 'positive')) NOT VALID;
-- screening_result.age_group: flows/types.ts AgeGroup
ALTER TABLE "screening_result" ADD CONSTRAINT "screening_result_age_group_check" CHECK ("age_group" IN ('12-15', '16-17', '18+')) NOT VALID;
ALTER TABLE "screening_result" ADD CONSTRAINT "screening_result_channel_check" CHECK ("channel" IN ('telegram', 'zalo-oa', 'zalo-bot', 'web')) NOT VALID;
ALTER TABLE "interaction_log" ADD CONSTRAINT "interaction_log_channel_check" CHECK ("channel" IN ('telegram', 'zalo-oa', 'zalo-bot', 'web')) NOT VALID;
-- interaction_log.event_kind: flows/types.ts Input
ALTER TABLE "interaction_log" ADD CONSTRAINT "interaction_log_event_kind_check" CHECK ("event_kind" IN ('start', 'text', 'choice', 'unsupported', 'follow', 'unfollow')) NOT VALID;
-- interaction_log.outcome: bot/engine/turn.ts outcomeOf
ALTER TABLE "interaction_log" ADD CONSTRAINT "interaction_log_outcome_check" CHECK ("outcome" IN ('ok', 'crisis', 'unsupported', 'flow_error')) NOT VALID;
-- meeting_occurrence.status: flows/clubs/types.ts
ALTER TABLE "meeting_occurrence" ADD CONSTRAINT "meeting_occurrence_status_check" CHECK ("status" IN ('scheduled', 'moved', 'cancelled')) NOT VALID;
-- club_membership.role: flows/clubs/types.ts ClubRole
ALTER TABLE "club_membership" ADD CONSTRAINT "club_membership_role_check" CHECK ("role" IN ('member', 'volunteer', 'coordinator')) NOT VALID;
ALTER TABLE "club_membership" ADD CONSTRAINT "club_membership_status_check" CHECK ("status" IN ('active', 'left')) NOT VALID;
-- club_rsvp.answer: flows/choices.ts RsvpAnswer
ALTER TABLE "club_rsvp" ADD CONSTRAINT "club_rsvp_answer_check" CHECK ("answer" IN ('yes', 'no')) NOT VALID;
-- club_progress_note.status: bot/console/care.ts, bot/admin/commands.ts
ALTER TABLE "club_progress_note" ADD CONSTRAINT "club_progress_note_status_check" CHECK ("status" IN ('on_track', 'needs_support', 'not_seen')) NOT VALID;
-- volunteer_check_in.outcome: flows/clubs/types.ts checkIn
ALTER TABLE "volunteer_check_in" ADD CONSTRAINT "volunteer_check_in_outcome_check" CHECK ("outcome" IN ('done', 'needs_support', 'rescheduled')) NOT VALID;
ALTER TABLE "club_invite_code" ADD CONSTRAINT "club_invite_code_role_check" CHECK ("role" IN ('member', 'volunteer', 'coordinator')) NOT VALID;
-- reminder_delivery.kind: bot/clubs/ledger.ts DeliveryKind
ALTER TABLE "reminder_delivery" ADD CONSTRAINT "reminder_delivery_kind_check" CHECK ("kind" IN ('reminder', 'meeting_moved', 'meeting_cancelled', 'vol_assigned', 'checkin_due', 'vol_declined', 'vol_missed', 'nudge_again', 'escalation', 'coord_help', 'coord_before', 'coord_after')) NOT VALID;
ALTER TABLE "reminder_delivery" ADD CONSTRAINT "reminder_delivery_channel_check" CHECK ("channel" IN ('telegram', 'zalo-oa', 'zalo-bot', 'web')) NOT VALID;
ALTER TABLE "reminder_delivery" ADD CONSTRAINT "reminder_delivery_status_check" CHECK ("status" IN ('pending', 'sending', 'sent', 'failed', 'cancelled')) NOT VALID;
-- reminder_delivery.reason: bot/jobs/reminders/dispatch.ts, bot/clubs/effects.ts, bot/clubs/schedule.ts
ALTER TABLE "reminder_delivery" ADD CONSTRAINT "reminder_delivery_reason_check" CHECK ("reason" IN ('stopped', 'times_changed', 'answered', 'meeting_changed', 'obsolete', 'no_channel', 'no_address', 'transient', 'blocked', 'outside_window', 'invalid')) NOT VALID;
ALTER TABLE "inbound_event" ADD CONSTRAINT "inbound_event_channel_check" CHECK ("channel" IN ('telegram', 'zalo-oa', 'zalo-bot', 'web')) NOT VALID;
-- service.type: content/schema/services.ts SERVICE_TYPES
ALTER TABLE "service" ADD CONSTRAINT "service_type_check" CHECK ("type" IN ('methadone', 'hiv', 'rehab', 'health-station', 'counselling')) NOT VALID;
-- console_link.kind: bot/console/auth.ts
ALTER TABLE "console_link" ADD CONSTRAINT "console_link_kind_check" CHECK ("kind" IN ('club', 'officer')) NOT VALID;
ALTER TABLE "console_session" ADD CONSTRAINT "console_session_kind_check" CHECK ("kind" IN ('club', 'officer')) NOT VALID;
ALTER TABLE "console_audit" ADD CONSTRAINT "console_audit_actor_kind_check" CHECK ("actor_kind" IN ('club', 'officer')) NOT VALID;
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_channel_check" CHECK ("channel" IN ('telegram', 'zalo-oa', 'zalo-bot', 'web')) NOT VALID;
