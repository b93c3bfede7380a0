// One update, from the webhook or from polling, into the durable inbox.
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import type { Inbox } from '../inbox/inbox.ts';
import { BotUpdate, parseBotUpdate, unwrap } from './parse.ts';

export type IntakeOutcome = 'recorded' | 'duplicate' | 'ignored' | 'invalid';

export interface IntakeDeps {
  inbox: Inbox;
  metrics: Metrics;
  log: Logger;
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
    return (await deps.inbox.accept(parsed.event, parsed.truncated)) ? 'recorded' : 'duplicate';
  };
}
