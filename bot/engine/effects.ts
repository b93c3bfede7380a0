// Carrying out a step's effects inside the turn's transaction, on its Sql (node-postgres):
// consent, anonymous results, club effects and erasure are named statements (bot/db/).
import type { Effect, FlowState } from '../../flows/types.ts';
import { applyClubEffect } from '../clubs/effects.ts';
import { grantConsent, withdrawConsent } from '../db/consent.ts';
import { insertScreeningResult } from '../db/screening.ts';
import type { Sql } from '../db/sql.ts';
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

export async function applyEffects(sql: Sql, effects: Effect[], ec: EffectContext): Promise<void> {
  for (const e of effects) {
    switch (e.type) {
      case 'consent':
        if (ec.noStorage) break;
        if (e.granted) await grantConsent(sql, ec.subject, e.purpose, ec.now);
        else await withdrawConsent(sql, ec.subject, e.purpose, ec.now);
        break;
      case 'screeningResult':
        // No subject key: the row must not link to the person.
        await insertScreeningResult(sql, {
          instrument: e.instrument,
          substance: e.substance,
          score: e.score,
          band: e.band,
          ageGroup: e.ageGroup,
          province: e.province,
          day: ec.day,
          channel: ec.channel,
        });
        break;
      case 'erase':
        await eraseSubject(sql, ec.subject, { now: ec.now, timeZone: ec.timeZone, retentionDays: ec.retentionDays, pseudonymSecret: ec.pseudonymSecret });
        break;
      default:
        // Club effects (join, RSVP, times, leave, stop, check-in); under-16 mode stores nothing.
        if (!ec.noStorage) await applyClubEffect(sql, e, ec);
        break;
    }
  }
}

export function erased(effects: Effect[]): boolean {
  return effects.some((e) => e.type === 'erase');
}

export type { FlowState };
