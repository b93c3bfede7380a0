// Zalo OA error codes (docs.zaloplatforms.com/docs/OA/phu-luc/ma-loi) → what the sender does.
// Failures also arrive with HTTP 200: every body is checked for `error !== 0`.

export type OaFailure =
  /** -216, -220 (and -124, which live integrations report for an expired token): refresh the
   * token once, retry once. */
  | 'token'
  /** -100: a temporary error on Zalo's side; retry with back-off (chatwoot's RETRYABLE_CODES). */
  | 'transient'
  /** -32: per-minute call limit; back off and retry. */
  | 'rate_limited'
  /** -213, -217, -227, -230, -232: the person cannot be reached until they write to the OA again. */
  | 'outside_window'
  /** -234: night ban (22:00-06:00) for this message type; retry after 06:00. */
  | 'night_ban'
  /** -244: the person restricted this message type. */
  | 'blocked'
  /** -201, -240 and anything unknown: our request is wrong; retrying will not help. */
  | 'invalid';

const TABLE: Record<number, OaFailure> = {
  [-216]: 'token',
  [-220]: 'token',
  [-124]: 'token',
  [-100]: 'transient',
  [-32]: 'rate_limited',
  [-213]: 'outside_window',
  [-217]: 'outside_window',
  [-227]: 'outside_window',
  [-230]: 'outside_window',
  [-232]: 'outside_window',
  [-234]: 'night_ban',
  [-244]: 'blocked',
  [-201]: 'invalid',
  [-240]: 'invalid',
};

export function classifyOaError(code: number): OaFailure {
  return TABLE[code] ?? 'invalid';
}

const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Milliseconds from `now` until the next 06:00 in Vietnam (UTC+7, no daylight saving). */
export function msUntilNightBanEnds(now: Date): number {
  const local = new Date(now.getTime() + VN_OFFSET_MS);
  const six = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 6);
  const next = local.getTime() < six ? six : six + 86_400_000;
  return next - local.getTime();
}
