// The rows this process's turns wrote, kept for each person's next turn (turn.ts, the known
// turn). Only ever a guess: the database checks the version before anything is written.
import type { Known } from '../db/turn.ts';

/** People kept: a person past it has their next turn read the row, as after a restart. */
export const KNOWN_MAX = 5_000;
/** A row older than this is not used: a turn an hour later reads it (what the retention job
 * purged meanwhile is not kept in memory either). */
export const KNOWN_TTL_MS = 60 * 60 * 1000;
/** Above this share of known turns found stale lately, only one in SAMPLE is tried. */
const STALE_LIMIT = 0.25;
const SAMPLE = 16;

export class KnownRows {
  private readonly rows = new Map<string, { known: Known; until: number }>();
  /** The share of recent known turns found stale (a moving average over about 20). */
  private staleShare = 0;
  private passed = 0;
  private readonly off: boolean;

  /** `off`: nothing is kept, every turn reads its row (EngineOptions.readEveryTurn). */
  constructor(off = false) {
    this.off = off;
  }

  /** The row for this person's turn, or null (the turn reads it). Taken out: the turn keeps
   * what it wrote, so a row a flow was given is never given again. Null as well while most
   * known turns of this instance are found stale (each person's messages reaching several
   * instances in turn: each would cost a round trip more than reading), but for one in 16, which
   * tells when that ends. */
  take(subject: string, now: number): Known | null {
    const e = this.rows.get(subject);
    if (!e) return null;
    this.rows.delete(subject);
    if (e.until <= now) return null;
    if (this.staleShare > STALE_LIMIT && ++this.passed % SAMPLE !== 0) return null;
    return e.known;
  }

  /** The row a committed turn wrote; the longest-unused person goes past KNOWN_MAX. */
  keep(subject: string, known: Known, now: number): void {
    if (this.off) return;
    this.rows.delete(subject);
    if (this.rows.size >= KNOWN_MAX) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(subject, { known, until: now + KNOWN_TTL_MS });
  }

  /** How a known turn went: written, or stale (then read and run again). */
  tried(stale: boolean): void {
    this.staleShare = this.staleShare * 0.95 + (stale ? 0.05 : 0);
  }

  get size(): number {
    return this.rows.size;
  }
}
