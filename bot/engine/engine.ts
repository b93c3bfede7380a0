// One inbound event → one turn (DESIGN.md, "Read it as the path of one message"):
// dedupe on (channel, externalId), a per-person lock, the crisis check and one flow step
// (flows/router.ts), the effects, the state and the interaction log in one transaction;
// then the replies. Correct with any number of instances on one database.
import { performance } from 'node:perf_hooks';
import { crisisFlow, detectCrisis, readCrisisText } from '../../flows/crisis.ts';
import { readIntent } from '../../flows/understand/intents.ts';
import type { ModelReading } from '../ai/classify.ts';
import { route } from '../../flows/router.ts';
import type { FlowState, Input, Locale, OutboundMessage, StepContext, StepResult } from '../../flows/types.ts';
import type { Content } from '../../content/types.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { toMenu } from '../../flows/menu.ts';
import { msg } from '../../flows/text.ts';
import { newState } from '../../flows/state.ts';
import type { Channel, ChannelName, InboundEvent, SendResult } from '../channels/types.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { dayKey, dayOf, subjectKey } from '../privacy/pseudonym.ts';
import { commandOf } from '../../flows/commands.ts';
import { needsClubs } from '../../flows/clubs/index.ts';
import { loadClubsView } from '../clubs/view.ts';
import { DirectoryCache } from '../services/directory.ts';
import { applyEffects, erased } from './effects.ts';
import { toInput } from './input.ts';
import { mergeReplies } from './merge.ts';
import { claimEvent, writeTurn } from './persist.ts';
import { rowToState, } from './state-row.ts';

export interface EngineOptions {
  prisma: PrismaClient;
  content: Content;
  pseudonymSecret: Buffer;
  defaultLocale: Locale;
  timeZone: string;
  retentionDays: number;
  log: Logger;
  metrics: Metrics;
  /** ADDRESS_KEY: seals the address of people who join a club (DESIGN.md, privacy). */
  addressKey?: Buffer;
  /** The console's public address, for the sign-in link a coordinator asks for (bot/console). */
  consoleUrl?: () => string;
  /** Injected clock, for tests of time-dependent behaviour (resume window). */
  now?: () => Date;
  /** Optional model (bot/ai): consulted by understand(), before the turn's transaction. */
  ai?: { read(text: string): Promise<ModelReading | null> } | undefined;
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

/** How long the conversation of someone under 16 lives, in this process's memory only. */
export const NO_STORAGE_TTL_MS = 60 * 60 * 1000;
const NO_STORAGE_MAX = 10_000;

const PLATFORM: Record<ChannelName, StepContext['platform']> = {
  telegram: 'telegram',
  'zalo-oa': 'zalo',
  'zalo-bot': 'zalo',
  web: 'web',
};

function hintLocale(hint: string | undefined): Locale | null {
  if (!hint) return null;
  const h = hint.toLowerCase();
  if (h.startsWith('vi')) return 'vi';
  if (h.startsWith('en')) return 'en';
  return null;
}

/** Screening answers are not logged, not even as choice ids: only that a question was answered. */
function loggedChoice(input: Input): string | null {
  if (input.kind !== 'choice') return null;
  if (input.choice.startsWith('screen.') && !input.choice.startsWith('screen.age.')) return 'screen.answer';
  return input.choice;
}

function outcomeOf(input: Input, res: StepResult): string {
  if (res.state?.flow === 'crisis' && (input.kind === 'text' || input.kind === 'unsupported')) return 'crisis';
  if (input.kind === 'unsupported') return 'unsupported';
  return 'ok';
}

export class Engine {
  private readonly o: EngineOptions;
  constructor(options: EngineOptions) {
    this.o = options;
  }

  subjectOf(channel: ChannelName, address: string): string {
    return subjectKey(this.o.pseudonymSecret, channel, address);
  }

  /** Process one event and hand the replies to `channel`. Throws only on database failure
   * (the platform will re-deliver; nothing was committed). */
  async handle(event: InboundEvent, channel: Channel, truncated = false): Promise<TurnOutcome> {
    const started = performance.now();
    const now = this.o.now?.() ?? new Date();
    const subject = this.subjectOf(event.channel, event.address);
    const day = dayOf(now, this.o.timeZone);
    // Outside the transaction: a model call holds no connection and no lock.
    const understood = await this.understand(event);
    let turn: { res: StepResult; outcome: string; memory: FlowState | null } | null;
    try {
      // In this process, one person's turns queue here rather than each holding a database
      // connection while waiting for the person's lock: one busy person cannot starve the pool.
      turn = await this.serially(subject, () => this.o.prisma.$transaction(
        async (tx) => {
          // One person's turns run one at a time, across instances: the lock ends with the transaction.
          if (!(await claimEvent(tx, event.channel, event.externalId, subject))) return null;
          const row = await tx.conversation.findUnique({ where: { subjectKey: subject } });
          const prev = row ? rowToState(row) : this.memoryState(subject, now);
          const locale = prev?.locale ?? hintLocale(event.locale) ?? this.o.defaultLocale;
          const ctx: StepContext = {
            now,
            locale,
            content: this.o.content,
            platform: PLATFORM[event.channel],
            retentionDays: this.o.retentionDays,
            // The services directory, from a per-process cache (at most one read every 30 s).
            services: await this.directory.view(tx, now),
            ...(understood ? { understood } : {}),
            ...(this.o.ai ? { aiEnabled: true } : {}),
          };
          // Where a typed number is the answer itself (days), it is the answer on every channel:
          // channels without buttons list those choices unnumbered (OutboundMessage.numbersAreAnswers).
          const numbersAreAnswers = prev?.typedNumbers === 'answer';
          const input = toInput(event, prev?.offered ?? [], truncated, numbersAreAnswers);
          // Club steps see the directory and this person's memberships (the flow stays pure).
          const command = input.kind === 'text' ? commandOf(input.text) : null;
          const privacyPage = command === 'privacy' || (input.kind === 'choice' && input.choice === 'menu.privacy');
          if (privacyPage || needsClubs(prev, input, command === 'stop')) {
            ctx.clubs = await loadClubsView(tx, subject, prev, input, now, this.o.consoleUrl?.());
          }
          let res: StepResult;
          let outcome: string;
          try {
            // typedNumbers holds for one question: the flow sets it again when it asks another.
            res = route(prev ? { ...prev, typedNumbers: undefined } : null, input, ctx);
            outcome = outcomeOf(input, res);
          } catch (err) {
            // A bug in a flow must not trap a person in a loop of re-deliveries: apologise,
            // return to the menu, and record the failure (without any text).
            this.o.log.error({ err: { name: (err as Error).name }, flow: prev?.flow, step: prev?.step }, 'flow step failed');
            const base = prev ?? newState(now);
            const l = base.locale ?? locale;
            res = toMenu({ ...base, locale: l }, { ...ctx, locale: l }, [msg(this.o.content.ui.unknownInput[l])]);
            outcome = 'flow_error';
          }
          const noStorage = (prev?.noStorage ?? false) || (res.state?.noStorage ?? false);
          await applyEffects(tx, res.effects, {
            subject,
            channel: event.channel,
            now,
            day,
            timeZone: this.o.timeZone,
            retentionDays: this.o.retentionDays,
            noStorage,
            pseudonymSecret: this.o.pseudonymSecret,
            address: event.address,
            ...(this.o.addressKey ? { addressKey: this.o.addressKey } : {}),
          });
          const wasErased = erased(res.effects);
          // Under 16: no conversation row after the turn that learns the age; the state lives in
          // this process's memory for at most an hour (another instance starts afresh).
          const keep = noStorage ? null : res.state;
          await writeTurn(tx, {
            subject,
            channel: event.channel,
            now,
            state: keep,
            ...(wasErased || noStorage
              ? {}
              : {
                  record: {
                    contactStatus: event.kind === 'unfollow' ? 'unfollowed' : 'active',
                    day,
                    dayKey: dayKey(this.o.pseudonymSecret, subject, day),
                    flow: res.state?.flow ?? 'none',
                    step: res.state?.step ?? 'none',
                    eventKind: input.kind,
                    choiceId: loggedChoice(input),
                    latencyMs: Math.round(performance.now() - started),
                    outcome,
                  },
                }),
          });
          return { res, outcome, memory: noStorage ? res.state : null };
        },
        { timeout: 15_000, maxWait: 15_000 },
      ).then((t) => {
        // Only once the turn is committed, and before this person's next turn starts.
        if (t) this.remember(subject, t.memory, now);
        return t;
      }));
    } catch (err) {
      await this.crisisWithoutDatabase(event, channel);
      throw err;
    }

    if (!turn) {
      this.o.metrics.updates.inc({ channel: event.channel, outcome: 'duplicate' });
      return { status: 'duplicate', subject, messages: [], sent: [] };
    }
    // The web chat shows each reply as its own bubble at once; platforms notify per message.
    const outgoing = channel.name === 'web' ? turn.res.messages : mergeReplies(turn.res.messages);
    const sent = await this.deliver(channel, event.address, subject, outgoing);
    this.o.metrics.updates.inc({ channel: event.channel, outcome: turn.outcome });
    this.o.metrics.turnSeconds.observe({ channel: event.channel }, (performance.now() - started) / 1000);
    const noStorage = turn.res.state?.noStorage ?? false;
    return { status: 'done', subject, messages: turn.res.messages, sent, erased: erased(turn.res.effects) && turn.res.state === null, noStorage };
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

  /** The optional model's reading of a text the local reading leaves open: not placed by the
   * intent matcher, and not already a danger. Never throws; null without a model. */
  private async understand(event: InboundEvent): Promise<StepContext['understood'] | null> {
    const text = event.kind === 'text' ? event.text?.trim() : undefined;
    if (!this.o.ai || !text || !/\p{L}.*\p{L}/u.test(text) || commandOf(text)) return null;
    if (readCrisisText(text, this.o.content).alarm === 'danger' || readIntent(text, this.o.content).best) return null;
    const r = await this.o.ai.read(text).catch(() => null);
    return r && (r.intent || r.alarm) ? { intent: r.intent, alarm: r.alarm } : null;
  }

  private readonly queues = new Map<string, Promise<unknown>>();

  private serially<T>(subject: string, run: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(subject) ?? Promise.resolve();
    const next = prev.then(run, run);
    const tail = next.catch(() => undefined);
    this.queues.set(subject, tail);
    void tail.then(() => {
      if (this.queues.get(subject) === tail) this.queues.delete(subject);
    });
    return next;
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

  /** Send replies in order; stop at the first permanent failure (the rest cannot arrive either). */
  private async deliver(channel: Channel, address: string, subject: string, messages: OutboundMessage[]): Promise<SendResult[]> {
    const results: SendResult[] = [];
    for (const m of messages) {
      let r: SendResult;
      try {
        r = await channel.send(address, m);
      } catch (err) {
        this.o.log.warn({ err: { name: (err as Error).name }, channel: channel.name }, 'send threw');
        r = { ok: false, reason: 'transient' };
      }
      results.push(r);
      this.o.metrics.sends.inc({ channel: channel.name, result: r.ok ? 'ok' : r.reason });
      if (!r.ok && (r.reason === 'blocked' || r.reason === 'outside_window')) {
        await this.markContact(subject, r.reason);
        break;
      }
      if (!r.ok && r.reason !== 'invalid') break;
    }
    return results;
  }

  async markContact(subject: string, status: 'blocked' | 'outside_window' | 'unfollowed'): Promise<void> {
    await this.o.prisma.contact.updateMany({ where: { subjectKey: subject }, data: { status, updatedAt: new Date() } });
  }
}
