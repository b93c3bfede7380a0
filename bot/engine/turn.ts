// The turn's transaction: dedupe, the person's lock, read, one flow step, effects, and one
// statement writing the state, the contact, the log and the replies (the outbox row). Every
// turn runs on node-postgres, clubs and erasure included: the Prisma client is for the console
// and the admin tool.
// The known turn: when the engine holds the row this person's last turn wrote (and the step
// reads and changes nothing else: no club directory, no effects), the step runs on that row
// and the whole turn is one statement, which writes only if the row is still that version
// (bot/db/turn.ts, knownTurn). Otherwise, or if it was not, the turn runs as above.
import { performance } from 'node:perf_hooks';
import { logAs } from '../../flows/choices.ts';
import { toMenu } from '../../flows/menu.ts';
import { needs } from '../../flows/needs.ts';
import { route } from '../../flows/router.ts';
import { newState } from '../../flows/state.ts';
import { msg } from '../../flows/text.ts';
import type { FlowState, Input, Locale, OutboundMessage, StepContext, StepResult } from '../../flows/types.ts';
import type { Content } from '../../content/types.ts';
import type { InboundEvent } from '../channels/types.ts';
import type { LinkTargets } from '../clubs/link-code.ts';
import { holdingsView, loadClubsView } from '../clubs/view.ts';
import { holdingsOf } from '../db/membership.ts';
import type { SentRows } from '../db/outbox.ts';
import { onClient, pgSql, pgTransaction, type Sql } from '../db/sql.ts';
import { beginTurn, type Known, knownTurn, type TurnWrites, writeTurn } from '../db/turn.ts';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import { dayKey } from '../privacy/pseudonym.ts';
import { applyEffects, erased } from './effects.ts';
import { toInput } from './input.ts';
import { earlierOffered, rowToState, stateToRow } from './state-row.ts';

export interface TurnDeps {
  pool: pg.Pool;
  content: Content;
  pseudonymSecret: Buffer;
  defaultLocale: Locale;
  timeZone: string;
  retentionDays: number;
  log: Logger;
  /** ADDRESS_KEY: seals the address of people who join a club, and the outbox. */
  addressKey?: Buffer;
  /** The console's public address, for the sign-in link a coordinator asks for (bot/console). */
  consoleUrl?: () => string;
  /** Where a web member's link code can be sent (bot/clubs/link-code.ts). */
  links?: LinkTargets;
}

export interface TurnRequest {
  event: InboundEvent;
  truncated: boolean;
  subject: string;
  now: Date;
  day: string;
  started: number;
  platform: StepContext['platform'];
  /** Seals the replies for the outbox; null when the channel answers in its own response (web). */
  seal: ((messages: OutboundMessage[]) => { payloadEnc: string; messages: OutboundMessage[] }) | null;
  leaseSeconds: number;
  /** This person's sent rows whose deletion is on its way (outbox.settledFor). */
  settled: string[];
  /** Sent rows (anyone's) for the write to delete, taken just before it (outbox.rideAlong). */
  sentRows?: () => SentRows;
  services: StepContext['services'];
  /** Under 16: the state kept in this process's memory (there is no row). */
  memory: FlowState | null;
  /** The optional model's reading, made before the transaction (engine.understand). */
  understood: StepContext['understood'] | null;
  aiEnabled: boolean;
  /** The row this person's last turn in this process wrote, if the engine still holds it. */
  known: Known | null;
}

export interface TurnDone {
  res: StepResult;
  outcome: string;
  /** The replies as they will be sent (merged), and their outbox row. */
  outgoing: OutboundMessage[];
  outboxId: string | null;
  behind: boolean;
  /** Under 16: the state to keep in memory, not in a row. */
  memory: FlowState | null;
  /** The row as this turn left it, for the next one. */
  known: Known;
  /** How it ran (the metric donghanh_turn_paths_total). */
  path: 'known' | 'stale' | 'read';
}

export function hintLocale(hint: string | undefined): Locale | null {
  if (!hint) return null;
  const h = hint.toLowerCase();
  if (h.startsWith('vi')) return 'vi';
  if (h.startsWith('en')) return 'en';
  return null;
}

function outcomeOf(input: Input, res: StepResult): string {
  if (res.state?.flow === 'crisis' && (input.kind === 'text' || input.kind === 'unsupported')) return 'crisis';
  if (input.kind === 'unsupported') return 'unsupported';
  return 'ok';
}

/** Run the turn; null when the event was already processed. Throws on database failure. */
export async function runTurn(d: TurnDeps, r: TurnRequest): Promise<TurnDone | null> {
  let path: TurnDone['path'] = 'read';
  if (r.known) {
    const done = await body(d, r, pgSql(d.pool), r.known);
    if (done === STALE) path = 'stale';
    else if (done !== USUAL) return done && { ...done, path: 'known' };
  }
  const done = await onPg(d.pool, (sql) => body(d, r, sql, null));
  return done && { ...(done as Omit<TurnDone, 'path'>), path };
}

/** The known turn cannot be (the step reads clubs or has effects): the turn runs the usual way. */
const USUAL = Symbol('usual');
/** The row had changed since: the turn runs the usual way. */
const STALE = Symbol('stale');

async function onPg<T>(pool: pg.Pool, run: (sql: Sql) => Promise<T>): Promise<T> {
  return onClient(pool, async (client) => {
    // BEGIN goes with the turn's first statement, COMMIT with its last (bot/db/sql.ts).
    const tx = pgTransaction(client);
    const out = await run(tx);
    await tx.done();
    // A turn whose COMMIT did not run is not done: it fails (rolled back; the platform delivers
    // again) rather than answer for writes that were never committed, and the client never
    // goes back to the pool inside a transaction. pg knows the state from the last
    // ReadyForQuery: no round trip.
    if (client.getTransactionStatus() !== 'I') throw new Error('a turn left its transaction open');
    return out;
  });
}

/** `known`: the step runs on that row, and the turn is knownTurn's one statement on `sql` (a
 * pool); USUAL when it cannot be. Otherwise `sql` is the turn's transaction. */
async function body(d: TurnDeps, r: TurnRequest, sql: Sql, known: Known | null): Promise<Omit<TurnDone, 'path'> | null | typeof USUAL | typeof STALE> {
  const { event, subject, now, day } = r;
  const begun = known ?? (await beginTurn(sql, event.channel, event.externalId, subject));
  if (!begun) return null;
  const { row } = begun;
  const prev = row ? rowToState(row) : r.memory;
  const locale = prev?.locale ?? hintLocale(event.locale) ?? d.defaultLocale;
  const ctx: StepContext = {
    now,
    locale,
    content: d.content,
    platform: r.platform,
    retentionDays: d.retentionDays,
    services: r.services,
    ...(r.understood ? { understood: r.understood } : {}),
    ...(r.aiEnabled ? { aiEnabled: true } : {}),
  };
  // Where a typed number is the answer itself (days), it is the answer on every channel:
  // channels without buttons list those choices unnumbered (OutboundMessage.numbersAreAnswers).
  const numbersAreAnswers = prev?.typedNumbers === 'answer';
  const offered = prev?.offered ?? [];
  // Buttons of the message before the last are still on screen: a tap on one counts.
  const earlier = earlierOffered(row);
  const input = toInput(event, offered, r.truncated, numbersAreAnswers, earlier);
  const need = needs(prev, input);
  // Reads under the person's lock, in the turn's transaction.
  if (known && (need.clubs || need.holdings)) return USUAL;
  if (need.clubs) {
    // Club steps see the directory and this person's memberships (the flow stays pure).
    ctx.clubs = await loadClubsView(sql, subject, prev, input, now, { consoleUrl: d.consoleUrl?.(), pseudonymSecret: d.pseudonymSecret, links: d.links });
  } else if (need.holdings) {
    ctx.clubs = { clubs: [], ...holdingsView(await holdingsOf(sql, subject)) };
  }
  let res: StepResult;
  let outcome: string;
  try {
    // typedNumbers holds for one question: the flow sets it again when it asks another.
    res = route(prev ? { ...prev, typedNumbers: undefined } : null, input, ctx);
    outcome = outcomeOf(input, res);
  } catch (err) {
    // A bug in a flow must not trap a person in a loop of re-deliveries: apologise, return to
    // the menu, and record the failure (without any text).
    d.log.error({ err: { name: (err as Error).name }, flow: prev?.flow, step: prev?.step }, 'flow step failed');
    const base = prev ?? newState(now);
    const l = base.locale ?? locale;
    res = toMenu({ ...base, locale: l }, { ...ctx, locale: l }, [msg(d.content.ui.unknownInput[l])]);
    outcome = 'flow_error';
  }
  const noStorage = (prev?.noStorage ?? false) || (res.state?.noStorage ?? false);
  // Effects are statements of their own, in the turn's transaction.
  if (known && res.effects.length) return USUAL;
  await applyEffects(sql, res.effects, {
    subject,
    channel: event.channel,
    now,
    day,
    timeZone: d.timeZone,
    retentionDays: d.retentionDays,
    noStorage,
    pseudonymSecret: d.pseudonymSecret,
    address: event.address,
    ...(d.addressKey ? { addressKey: d.addressKey } : {}),
  });
  const sealed = r.seal && res.messages.length ? r.seal(res.messages) : null;
  const writes: TurnWrites = {
    subject,
    channel: event.channel,
    now,
    // Under 16: no conversation row after the turn that learns the age; the state lives in
    // this process's memory for at most an hour (another instance starts afresh).
    state: res.state && !noStorage ? stateToRow(res.state, offered) : null,
    ...(erased(res.effects) || noStorage
      ? {}
      : {
          record: {
            contactStatus: event.kind === 'unfollow' ? 'unfollowed' : 'active',
            day,
            dayKey: dayKey(d.pseudonymSecret, subject, day),
            flow: res.state?.flow ?? 'none',
            step: res.state?.step ?? 'none',
            eventKind: input.kind,
            choiceId: logAs(input, [...offered, ...earlier]),
            latencyMs: Math.round(performance.now() - r.started),
            outcome,
          },
        }),
    ...(sealed ? { outbox: { payloadEnc: sealed.payloadEnc, leaseSeconds: r.leaseSeconds, settled: r.settled } } : {}),
    ...(r.sentRows ? { sentRows: r.sentRows() } : {}),
  };
  const written = known ? await knownTurn(sql, event.externalId, known, writes) : await writeTurn(sql, writes);
  if (written === 'duplicate') return null;
  if (written === 'stale') return STALE;
  return { known: written.known, res, outcome, outgoing: sealed ? sealed.messages : res.messages, outboxId: written.outboxId, behind: written.behind, memory: noStorage ? res.state : null };
}
