// One update, from the webhook or from polling, into the durable inbox.
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import type { Inbox } from '../inbox/inbox.ts';
import type { InboundEvent } from '../types.ts';
import { BotUpdate, parseBotUpdate, unwrap } from './parse.ts';

export type IntakeOutcome = 'recorded' | 'duplicate' | 'ignored' | 'invalid';

export interface IntakeDeps {
  inbox: Inbox;
  subjectOf: (chatId: string) => string;
  metrics: Metrics;
  log: Logger;
  /** The inbox could not record the event (database down): crisis guidance without a turn. */
  crisisFallback?: (event: InboundEvent) => Promise<unknown>;
}

/** `body` is exact JSON (numbers kept as strings). Throws only when the inbox cannot record. */
export function createIntake(deps: IntakeDeps): (body: unknown) => Promise<IntakeOutcome> {
  return async (body) => {
    const update = BotUpdate.safeParse(unwrap(body));
    if (!update.success) {
      // The field path only: values may be personal.
      deps.log.warn({ channel: 'zalo-bot', where: update.error.issues[0]?.path.join('.') || '(top level)' }, 'zalo-bot: not an update');
      return 'invalid';
    }
    const parsed = parseBotUpdate(update.data, new Date());
    if (parsed.type === 'ignore') {
      deps.metrics.updates.inc({ channel: 'zalo-bot', outcome: 'ignored' });
      return 'ignored';
    }
    const { event, truncated } = parsed;
    let recorded: boolean;
    try {
      recorded = await deps.inbox.record(event, deps.subjectOf(event.address), truncated);
    } catch (err) {
      await deps.crisisFallback?.(event).catch(() => undefined);
      throw err;
    }
    if (recorded) {
      deps.inbox.kick();
      return 'recorded';
    }
    deps.metrics.updates.inc({ channel: 'zalo-bot', outcome: 'duplicate' });
    return 'duplicate';
  };
}
