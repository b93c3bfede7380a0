// Optional help from a language model (OPENAI_API_KEY; OPENAI_BASE_URL for an OpenAI-compatible
// server, e.g. one hosted in Vietnam or on the operator's own machine). The model only
// classifies: it picks one intent id from the closed list in content/intents.yaml and a crisis
// level, through structured output with enums. It never writes what the bot says. What is sent:
// the one message, redacted (redact.ts); no id, no history, store: false. A 3 s timeout, a cap on
// calls in flight and a daily budget; any failure, and the local reading stands. Metrics count
// calls, failures and fallbacks, never text.
import OpenAI from 'openai';
import { Counter, type Registry } from 'prom-client';
import type { Alarm } from '../../flows/understand/crisis-read.ts';
import type { Logger } from '../logger.ts';
import { redact } from './redact.ts';

export interface ModelReading {
  intent?: string | undefined;
  alarm?: Alarm | undefined;
}

export interface AiOptions {
  apiKey: string;
  baseURL?: string | undefined;
  model: string;
  /** Intent ids the model may choose from. */
  intents: string[];
  timeoutMs?: number;
  maxConcurrent?: number;
  dailyBudget: number;
  timeZone: string;
  log: Logger;
  registry: Registry;
  now?: () => Date;
}

const LEVELS = ['none', 'worry', 'help', 'suicide', 'danger'] as const;

const INSTRUCTIONS = `You classify one message sent to a Vietnamese support chat bot for people who use drugs, their families and after-care clubs. The message may be Vietnamese (often without diacritics, in teencode) or English. Personal details were replaced by tags such as [name] and [number].
Return JSON only.
"intent": the topic the person asks about, one of the listed ids, or "none" when no topic fits.
"crisis": "danger" if someone may be overdosing, unresponsive, not breathing, seizing, psychotic or violent now, or has just taken a large amount of pills or poison; "suicide" for thoughts, wishes or plans of suicide or self-harm; "help" for a plea for urgent help without details; "worry" for fear, despair or distress; else "none". When unsure between two levels, choose the more serious one.`;

export class AiClassifier {
  private readonly o: AiOptions;
  private readonly client: OpenAI;
  private inFlight = 0;
  private day = '';
  private used = 0;
  private readonly calls: Counter<'outcome'>;
  private readonly fallbacks: Counter<'reason'>;
  private readonly dayOf: Intl.DateTimeFormat;

  constructor(o: AiOptions) {
    this.o = o;
    // Retries would break the 3 s promise; the local reading is the fallback.
    this.client = new OpenAI({ apiKey: o.apiKey, baseURL: o.baseURL, timeout: o.timeoutMs ?? 3000, maxRetries: 0 });
    this.dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: o.timeZone });
    this.calls = new Counter({ name: 'donghanh_ai_calls_total', help: 'Model calls by outcome (ok, failed, timeout, invalid)', labelNames: ['outcome'], registers: [o.registry] });
    this.fallbacks = new Counter({ name: 'donghanh_ai_fallbacks_total', help: 'Messages left to the local matcher, by reason (busy, budget, failed)', labelNames: ['reason'], registers: [o.registry] });
  }

  /** The model's reading of one message, or null: then the local reading stands. */
  async read(text: string): Promise<ModelReading | null> {
    const today = this.dayOf.format(this.o.now?.() ?? new Date());
    if (today !== this.day) {
      this.day = today;
      this.used = 0;
    }
    if (this.used >= this.o.dailyBudget) {
      this.fallbacks.inc({ reason: 'budget' });
      return null;
    }
    if (this.inFlight >= (this.o.maxConcurrent ?? 4)) {
      this.fallbacks.inc({ reason: 'busy' });
      return null;
    }
    this.used++;
    this.inFlight++;
    try {
      const res = await this.client.chat.completions.create({
        model: this.o.model,
        store: false,
        temperature: 0,
        max_tokens: 40,
        messages: [
          { role: 'system', content: `${INSTRUCTIONS}\nIntent ids: ${this.o.intents.join(', ')}.` },
          { role: 'user', content: redact(text) },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'reading',
            strict: true,
            schema: {
              type: 'object',
              properties: {
                intent: { type: 'string', enum: [...this.o.intents, 'none'] },
                crisis: { type: 'string', enum: [...LEVELS] },
              },
              required: ['intent', 'crisis'],
              additionalProperties: false,
            },
          },
        },
      });
      const parsed = parse(res.choices[0]?.message?.content, this.o.intents);
      this.calls.inc({ outcome: parsed ? 'ok' : 'invalid' });
      if (!parsed) this.fallbacks.inc({ reason: 'failed' });
      return parsed;
    } catch (err) {
      const timeout = err instanceof OpenAI.APIConnectionTimeoutError;
      this.calls.inc({ outcome: timeout ? 'timeout' : 'failed' });
      this.fallbacks.inc({ reason: 'failed' });
      // The error's name and status only: its message may quote the request.
      this.o.log.warn({ err: { name: (err as Error).name, status: (err as { status?: number }).status } }, 'ai: model call failed; local reading used');
      return null;
    } finally {
      this.inFlight--;
    }
  }
}

/** Whatever the server sends, only a known intent and a known level get through. */
function parse(content: string | null | undefined, intents: string[]): ModelReading | null {
  if (!content) return null;
  let v: unknown;
  try {
    v = JSON.parse(content);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const { intent, crisis } = v as { intent?: unknown; crisis?: unknown };
  const out: ModelReading = {};
  if (typeof intent === 'string' && intents.includes(intent)) out.intent = intent;
  if (typeof crisis === 'string' && (LEVELS as readonly string[]).includes(crisis) && crisis !== 'none') out.alarm = crisis as Alarm;
  return out;
}
