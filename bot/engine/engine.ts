// One inbound event → one turn (docs/architecture.md, "The path of one message"), in two
// parts: the turn's transaction (turn.ts: dedupe, the person's lock, one flow step, effects,
// state, log and the replies written to the outbox, all or nothing), then the delivery
// (outbox.ts: sent at once; retried after a failure or a crash). Correct with any number of
// instances on one database.
import { hkdfSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { codeOf } from '../../flows/clubs/codes.ts';
import { commandOf } from '../../flows/commands.ts';
import { crisisFlow, detectCrisis, readCrisisText } from '../../flows/crisis.ts';
import { readIntent } from '../../flows/understand/intents.ts';
import type { ModelReading } from '../ai/classify.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState, OutboundMessage, StepContext } from '../../flows/types.ts';
import type { Channel, ChannelName, InboundEvent, SendResult } from '../channels/types.ts';
import { poolOf } from '../db/client.ts';
import { markContact } from '../db/contact.ts';
import { pgSql, type Sql } from '../db/sql.ts';
import type { Metrics } from '../metrics.ts';
import { dayOf, subjectKey } from '../privacy/pseudonym.ts';
import { DirectoryCache } from '../services/directory.ts';
import { erased } from './effects.ts';
import { mergeReplies } from './merge.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';
import { hintLocale, runTurn, type TurnDeps } from './turn.ts';
import { KnownRows } from './known.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';

/** What a turn needs (turn.ts; the pool is the one under the Prisma client, which a turn
 * never opens), and the engine's own parts. */
export interface EngineOptions extends Omit<TurnDeps, 'pool'> {
  prisma: PrismaClient;
  metrics: Metrics;
  /** Injected clock, for tests of time-dependent behaviour (resume window). */
  now?: () => Date;
  /** Optional model (bot/ai): consulted by understand(), before the turn's transaction. */
  ai?: { read(text: string): Promise<ModelReading | null> } | undefined;
  /** Outbox lease and sweep (tests of crashes shorten them), the sender's rate and concurrency. */
  outbox?: Pick<OutboxOptions, 'leaseSeconds' | 'sweepEveryMs' | 'ratePerSecond' | 'concurrency' | 'settleMs'>;
  /** Send replies straight after the commit with no outbox row: only for measuring what the
   * outbox costs (npm run bench). A failed send is then lost. */
  directReplies?: boolean;
  /** Every turn reads its row (no known turn): for tests that compare the two paths. */
  readEveryTurn?: boolean;
}

export type TurnStatus = 'done' | 'duplicate';

export interface TurnOutcome {
  status: TurnStatus;
  subject: string;
  messages: OutboundMessage[];
  sent: SendResult[];
  /** The person asked for everything to be erased, and it was. */
  erased?: boolean;
  /** Under-16 mode: nothing about this person is kept (the web chat makes its cookie a session one). */
  noStorage?: boolean;
}

/** Deliveries in flight after their turn was answered, per process (handle's `atCommit`), each
 * held until its sent row is deleted: bounded, so that a slow platform slows the intake instead
 * of piling replies up in memory, and so is what a crash can repeat (one message each;
 * docs/architecture.md, "In-flight bound"). 32 at a real round trip (~200 ms) is ~160 sends/s,
 * past Telegram's ~30/s. */
export const MAX_DELIVERING = 32;

/** How long the conversation of someone under 16 lives, in this process's memory only. */
export const NO_STORAGE_TTL_MS = 60 * 60 * 1000;
const NO_STORAGE_MAX = 10_000;

const PLATFORM: Record<ChannelName, StepContext['platform']> = {
  telegram: 'telegram',
  'zalo-oa': 'zalo',
  'zalo-bot': 'zalo',
  web: 'web',
};

export class Engine {
  readonly outbox: Outbox;
  private readonly o: EngineOptions;
  private readonly turn: TurnDeps;
  private readonly sql: Sql;

  constructor(options: EngineOptions) {
    this.o = options;
    const pool = poolOf(options.prisma);
    // Without ADDRESS_KEY (tests of the engine alone) the outbox gets a key of its own.
    const key = options.addressKey ?? Buffer.from(hkdfSync('sha256', options.pseudonymSecret, Buffer.alloc(0), 'outbox', 32));
    this.outbox = new Outbox({ pool, key, log: options.log, metrics: options.metrics, ...options.outbox, ...(options.now ? { now: options.now } : {}) });
    this.turn = { ...options, pool };
    this.sql = pgSql(pool);
    this.known = new KnownRows(options.readEveryTurn);
    // The readers build their indexes on first use: here, rather than in the turn of the first
    // person to type after a start.
    readCrisisText('xin chào', options.content);
    readIntent('xin chào', options.content);
  }

  subjectOf(channel: ChannelName, address: string): string {
    return subjectKey(this.o.pseudonymSecret, channel, address);
  }

  /** Rows of this channel left by a failure or a crash are sent from this instance too. */
  useChannel(channel: Channel, bulk?: Channel): void {
    this.outbox.use(channel, bulk);
  }

  /** Process one event and hand the replies to `channel`. Throws only on database failure
   * (the platform will re-deliver; nothing was committed). A failed send is not a failure of
   * the turn: the reply stays in the outbox and is sent when the platform recovers.
   * `atCommit`: resolve once the turn is committed, while its replies are still going out
   * (`sent` is then empty): the outbox row holds them from the commit on, so a platform's
   * request need not wait for the sends (Telegram holds one of its connections to the bot per
   * update in flight). The person's next turn still waits for them. Past
   * MAX_DELIVERING such deliveries in this process, it waits for its own as before. */
  async handle(event: InboundEvent, channel: Channel, truncated = false, atCommit = false): Promise<TurnOutcome> {
    const started = performance.now();
    const now = this.o.now?.() ?? new Date();
    const subject = this.subjectOf(event.channel, event.address);
    this.outbox.use(channel);
    // Outside the transaction: a model call holds no connection and no lock.
    const understood = await this.understand(event);
    // In this process, one person's turns (and their deliveries) queue here rather than each
    // holding a database connection while waiting for the person's lock.
    return this.serially(subject, async () => {
      let turn: Awaited<ReturnType<typeof runTurn>>;
      // Rows this instance finished sending are deleted by this turn's write.
      const ride = this.outbox.rideAlong();
      try {
        // The services directory, from a per-process cache (at most one read every 30 s).
        const services = await this.directory.view(this.sql, now);
        turn = await runTurn(this.turn, {
          event,
          truncated,
          subject,
          now,
          day: dayOf(now, this.o.timeZone),
          started,
          platform: PLATFORM[event.channel],
          // The web chat answers in its own response, each reply a bubble of its own.
          seal:
            channel.name === 'web' || this.o.directReplies
              ? null
              : (messages) => {
                  // Platforms notify per message: plain texts run into the message that follows.
                  const merged = mergeReplies(messages);
                  return { messages: merged, payloadEnc: this.outbox.seal(event.address, merged) };
                },
          leaseSeconds: this.outbox.leaseSeconds,
          settled: this.outbox.settledFor(subject),
          sentRows: ride.take,
          services,
          memory: this.memoryState(subject, now),
          understood,
          aiEnabled: Boolean(this.o.ai),
          known: this.known.take(subject, now.getTime()),
        });
        // A duplicate ends before the write: what it took is deleted by the sender.
        ride.end(turn !== null);
        // Only once the turn is committed, and before this person's next turn starts.
        if (turn) {
          this.remember(subject, turn.memory, now);
          this.known.keep(subject, turn.known, now.getTime());
          if (turn.path !== 'read') this.known.tried(turn.path === 'stale');
        }
      } catch (err) {
        ride.end(false);
        await this.crisisWithoutDatabase(event, channel);
        throw err;
      }
      if (!turn) {
        this.o.metrics.updates.inc({ channel: event.channel, outcome: 'duplicate' });
        return { value: { status: 'duplicate', subject, messages: [], sent: [] } };
      }
      const deferred = atCommit && turn.outboxId !== null && this.delivering < MAX_DELIVERING;
      const delivery = this.deliver(channel, event.address, subject, turn, deferred);
      const outcome = (sent: SendResult[]): TurnOutcome => {
        const noStorage = turn.res.state?.noStorage ?? false;
        return { status: 'done', subject, messages: turn.res.messages, sent, erased: erased(turn.res.effects) && turn.res.state === null, noStorage };
      };
      this.o.metrics.updates.inc({ channel: event.channel, outcome: turn.outcome });
      this.o.metrics.turnPaths.inc({ path: turn.path });
      const answered = () => this.o.metrics.turnSeconds.observe({ channel: event.channel }, (performance.now() - started) / 1000);
      if (deferred) {
        this.delivering++;
        // Nobody awaits it now: a failure (the database gone mid-send) is told here; the row
        // stays leased to the outbox sender, which takes it once the lease runs out.
        const after = delivery
          .catch((err: Error) => this.o.log.warn({ channel: event.channel, err: { name: err.name } }, 'delivery after the commit failed; left to the outbox'))
          .finally(() => this.delivering--);
        answered();
        return { value: outcome([]), after };
      }
      const sent = await delivery;
      answered();
      return { value: outcome(sent) };
    });
  }

  /** Deliveries going on after their turn was answered (handle's `atCommit`). */
  private delivering = 0;

  /** Every turn of this process done, its replies delivered (or left to the outbox's sender). */
  async idle(): Promise<void> {
    while (this.queues.size) await Promise.all([...this.queues.values()]);
  }

  private readonly directory = new DirectoryCache();

  private readonly memory = new Map<string, { state: FlowState; until: number }>();

  private memoryState(subject: string, now: Date): FlowState | null {
    const m = this.memory.get(subject);
    if (!m) return null;
    if (m.until <= now.getTime()) {
      this.memory.delete(subject);
      return null;
    }
    return m.state;
  }

  private remember(subject: string, state: FlowState | null, now: Date): void {
    this.memory.delete(subject);
    if (!state) return;
    // Oldest first: past the cap, the longest-idle conversation goes.
    if (this.memory.size >= NO_STORAGE_MAX) this.memory.delete(this.memory.keys().next().value!);
    this.memory.set(subject, { state, until: now.getTime() + NO_STORAGE_TTL_MS });
  }

  /** The row each person's last turn here wrote (known.ts, turn.ts's known turn). */
  private readonly known: KnownRows;

  private async deliver(channel: Channel, address: string, subject: string, turn: NonNullable<Awaited<ReturnType<typeof runTurn>>>, untilDeleted: boolean): Promise<SendResult[]> {
    if (turn.outboxId === null) {
      // The web: handed over in the response itself.
      const sent: SendResult[] = [];
      const messages = channel.name === 'web' ? turn.outgoing : mergeReplies(turn.outgoing);
      for (const m of messages) sent.push(await channel.send(address, m));
      return sent;
    }
    // Older replies to this person still wait: the sender sends these after them.
    if (turn.behind) {
      this.outbox.queued();
      return [];
    }
    return this.outbox.deliver({ id: turn.outboxId, subject, channel, address, messages: turn.outgoing, sent: 0, attempts: 0 }, untilDeleted);
  }

  private readonly queues = new Map<string, Promise<unknown>>();

  /** `run` may hand back work that goes on after its value (`after`, a delivery): the
   * person's next turn waits for that too. */
  private serially<T>(subject: string, run: () => Promise<{ value: T; after?: Promise<unknown> }>): Promise<T> {
    const prev = this.queues.get(subject);
    const ran = prev ? prev.then(run, run) : run();
    const next = ran.then((r) => r.value);
    const tail = ran.then((r) => r.after).catch(() => undefined);
    this.queues.set(subject, tail);
    void tail.then(() => {
      if (this.queues.get(subject) === tail) this.queues.delete(subject);
    });
    return next;
  }

  /** The optional model's reading of a text the local reading leaves open: not placed by the
   * intent matcher, and not already a danger. Never throws; null without a model. */
  private async understand(event: InboundEvent): Promise<StepContext['understood'] | null> {
    const text = event.kind === 'text' ? event.text?.trim() : undefined;
    // A code (invite or one-time link) is the clubs flow's to read, and never leaves the process.
    if (!this.o.ai || !text || !/\p{L}.*\p{L}/u.test(text) || commandOf(text) || codeOf(text)) return null;
    if (readCrisisText(text, this.o.content).alarm === 'danger' || readIntent(text, this.o.content).best) return null;
    const r = await this.o.ai.read(text).catch(() => null);
    return r && (r.intent || r.alarm) ? { intent: r.intent, alarm: r.alarm } : null;
  }

  private readonly fallbackSent = new Set<string>();

  /** The database failed, so no turn can run: a message with crisis words still gets the
   * emergency guidance, from content alone (once per event, whatever the re-deliveries).
   * Channels whose intake writes to the database first (Zalo's inbox) call it themselves.
   * True when guidance was sent for this event, now or before. */
  async crisisWithoutDatabase(event: InboundEvent, channel: Channel): Promise<boolean> {
    if (!event.text) return false;
    const tier = detectCrisis(event.text, this.o.content);
    const key = `${event.channel}:${event.externalId}`;
    if (!tier) return false;
    if (this.fallbackSent.has(key)) return true;
    if (this.fallbackSent.size > 10_000) this.fallbackSent.clear();
    this.fallbackSent.add(key);
    const now = this.o.now?.() ?? new Date();
    const locale = hintLocale(event.locale) ?? this.o.defaultLocale;
    const ctx: StepContext = { now, locale, content: this.o.content, platform: PLATFORM[event.channel], retentionDays: this.o.retentionDays };
    const res = crisisFlow.enter({ ...newState(now), locale, flow: 'crisis', step: tier }, ctx, tier);
    this.o.log.error({ channel: event.channel, tier }, 'database unavailable: crisis guidance sent without a turn');
    for (const m of res.messages) await channel.send(event.address, m).catch(() => undefined);
    return true;
  }

  async markContact(subject: string, status: 'blocked' | 'outside_window' | 'unfollowed'): Promise<void> {
    await markContact(this.sql, subject, status, new Date());
  }

  async stop(): Promise<void> {
    // Replies still going out after their turn was answered: a while to finish, then the outbox
    // sender of any instance has them (their rows stay leased until then). 4 s, so that this and
    // the outbox's own stop (at most 10 s) end before the process's forced exit (15 s, main.ts).
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, 4_000).unref())]);
    await this.outbox.stop();
  }
}
