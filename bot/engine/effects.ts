// Carrying out a step's effects inside the turn's transaction.
import type { Effect, FlowState } from '../../flows/types.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { applyClubEffect } from '../clubs/effects.ts';
import { eraseSubject } from '../privacy/erase.ts';

export interface EffectContext {
  subject: string;
  channel: string;
  now: Date;
  day: string;
  timeZone: string;
  retentionDays: number;
  /** The state before the step: under-16 mode stores nothing but the anonymous result row. */
  noStorage: boolean;
  /** Needed to recompute the person's per-day log pseudonyms when erasing. */
  pseudonymSecret: Buffer;
  /** The raw address and the key to seal it, for effects that must keep it (club join). */
  address?: string;
  addressKey?: Buffer;
}

export async function applyEffects(tx: Prisma.TransactionClient, effects: Effect[], ec: EffectContext): Promise<void> {
  for (const e of effects) {
    switch (e.type) {
      case 'consent':
        if (ec.noStorage) break;
        if (e.granted) {
          await tx.consent.upsert({
            where: { subjectKey_purpose: { subjectKey: ec.subject, purpose: e.purpose } },
            create: { subjectKey: ec.subject, purpose: e.purpose, grantedAt: ec.now },
            update: { grantedAt: ec.now, withdrawnAt: null },
          });
        } else {
          await tx.consent.updateMany({
            where: { subjectKey: ec.subject, purpose: e.purpose },
            data: { withdrawnAt: ec.now },
          });
        }
        break;
      case 'screeningResult':
        // No subject key: the row must not link to the person.
        await tx.screeningResult.create({
          data: {
            instrument: e.instrument,
            substance: e.substance,
            score: e.score,
            band: e.band,
            ageGroup: e.ageGroup,
            province: e.province,
            day: new Date(`${ec.day}T00:00:00Z`),
            channel: ec.channel,
          },
        });
        break;
      case 'erase':
        await eraseSubject(tx, ec.subject, { now: ec.now, timeZone: ec.timeZone, retentionDays: ec.retentionDays, pseudonymSecret: ec.pseudonymSecret });
        break;
      default:
        // Club effects (join, RSVP, times, leave, stop, check-in); under-16 mode stores nothing.
        if (!ec.noStorage) await applyClubEffect(tx, e, ec);
        break;
    }
  }
}

export function erased(effects: Effect[]): boolean {
  return effects.some((e) => e.type === 'erase');
}

export type { FlowState };
