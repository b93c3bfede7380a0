// Token buckets in memory, per visitor and per address: a person tapping through a
// questionnaire never meets them; a script sending hundreds of messages a second does.
// Per instance: behind several instances each holds its own buckets (the limit scales with them).

export interface BucketRule {
  /** How many requests at once. */
  burst: number;
  /** Tokens regained per second. */
  perSecond: number;
}

/** A person taps at most about once a second for long; a burst covers quick answers. */
export const VISITOR_RULE: BucketRule = { burst: 20, perSecond: 1 };
/** Many people may share one address (mobile carriers' NAT): generous, but bounded. */
export const ADDRESS_RULE: BucketRule = { burst: 120, perSecond: 5 };

const MAX_KEYS = 50_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly rule: BucketRule;
  private readonly now: () => number;
  constructor(rule: BucketRule, now: () => number = Date.now) {
    this.rule = rule;
    this.now = now;
  }

  /** Take one token; returns 0 if allowed, else the milliseconds until one is free. */
  take(key: string): number {
    const t = this.now();
    const b = this.buckets.get(key);
    let tokens = this.rule.burst;
    if (b) {
      tokens = Math.min(this.rule.burst, b.tokens + ((t - b.at) / 1000) * this.rule.perSecond);
      this.buckets.delete(key); // re-inserted below: the Map's order is least recently used first
    } else if (this.buckets.size >= MAX_KEYS) {
      // Full: forget the least recently seen (a full bucket again, which only errs towards people).
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: t });
      return Math.ceil(((1 - tokens) / this.rule.perSecond) * 1000);
    }
    this.buckets.set(key, { tokens: tokens - 1, at: t });
    return 0;
  }
}
