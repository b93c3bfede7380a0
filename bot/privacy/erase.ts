// "Xóa dữ liệu": erase everything linked to a person, at once, inside the caller's transaction.
import type { Prisma } from '../../prisma/generated/client.ts';
import { dayKey, dayOf } from './pseudonym.ts';

export async function eraseSubject(
  tx: Prisma.TransactionClient,
  subject: string,
  opts: { now: Date; timeZone: string; retentionDays: number; pseudonymSecret: Buffer },
): Promise<void> {
  await tx.conversation.deleteMany({ where: { subjectKey: subject } });
  await tx.consent.deleteMany({ where: { subjectKey: subject } });
  await tx.contact.deleteMany({ where: { subjectKey: subject } });
  // Replies not yet delivered (sealed address) too; this turn's own answer is written after.
  // Before the memberships: outbox rows, then their plan rows, is the order in which deleting a
  // sent row takes its locks (outbox_sent), so the two cannot deadlock.
  await tx.outbox.deleteMany({ where: { subjectKey: subject } });
  // Club memberships cascade to RSVPs, attendance, progress notes, assignments and check-ins;
  // ledger rows keep only counts (membership set null).
  await tx.membership.deleteMany({ where: { subjectKey: subject } });
  // Events still queued for this person (sealed address and text) go too.
  await tx.inboundEvent.deleteMany({ where: { subjectKey: subject } });
  // A web visitor's unused link code, and a chat identity's count of wrong ones.
  await tx.linkCode.deleteMany({ where: { subjectKey: subject } });
  await tx.linkAttempt.deleteMany({ where: { subjectKey: subject } });
  // Log rows carry a per-day pseudonym derived from the subject key: recompute every day still
  // retained and delete those rows too, so nothing linkable is left.
  const keys: string[] = [];
  for (let d = 0; d <= opts.retentionDays + 1; d++) {
    keys.push(dayKey(opts.pseudonymSecret, subject, dayOf(new Date(opts.now.getTime() - d * 86_400_000), opts.timeZone)));
  }
  await tx.interactionLog.deleteMany({ where: { dayKey: { in: keys } } });
}
