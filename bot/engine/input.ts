// Turning a channel's event into a flow Input. Channels without buttons show numbered lists,
// so "2", the label or the choice id typed back all mean that choice (DESIGN.md, "Contracts").
import { fold } from '../../flows/text.ts';
import type { Choice, Input } from '../../flows/types.ts';
import type { InboundEvent } from '../channels/types.ts';

/** Choice ids this bot emits: dotted lower-case words. Anything else from a button is ignored. */
const CHOICE_ID = /^[a-z0-9][a-z0-9._:-]{0,63}$/;
/** Zalo OA `oa.query.hide` buttons come back as text carrying this prefix and the choice id. */
export const CHOICE_PAYLOAD_PREFIX = '#c:';

export function toInput(event: InboundEvent, offered: Choice[], truncated = false, numbersAreAnswers = false): Input {
  switch (event.kind) {
    case 'unsupported':
      return event.text ? { kind: 'unsupported', text: event.text } : { kind: 'unsupported' };
    case 'start':
    case 'follow':
    case 'unfollow':
      return { kind: event.kind };
    case 'choice':
      return event.choice && CHOICE_ID.test(event.choice) ? { kind: 'choice', choice: event.choice } : { kind: 'unsupported' };
    case 'text': {
      const text = event.text ?? '';
      const mapped = matchChoice(text, offered, numbersAreAnswers);
      if (mapped) return { kind: 'choice', choice: mapped };
      return truncated ? { kind: 'text', text, truncated } : { kind: 'text', text };
    }
  }
}

export function matchChoice(text: string, offered: Choice[], numbersAreAnswers = false): string | null {
  const t = text.trim();
  if (t.startsWith(CHOICE_PAYLOAD_PREFIX)) {
    const id = t.slice(CHOICE_PAYLOAD_PREFIX.length);
    return CHOICE_ID.test(id) ? id : null;
  }
  if (offered.length === 0) return null;
  const n = !numbersAreAnswers && /^\d{1,3}[.)]?$/.test(t) ? Number.parseInt(t, 10) : Number.NaN;
  if (n >= 1 && n <= offered.length) return offered[n - 1]!.id;
  const folded = fold(t);
  if (!folded) return null;
  for (const c of offered) {
    if (c.id === t || fold(c.label) === folded) return c.id;
  }
  return null;
}
