// Turning a channel's event into a flow Input. Channels without buttons show numbered lists,
// so "2", the label or the choice id typed back all mean that choice (docs/architecture.md, "Contracts").
// A choice id counts only if it was offered (or is a standing one, flows/choices.ts): a
// forged button or typed `#c:…` never becomes a choice, so it never reaches the log.
import { accepted, wellFormed } from '../../flows/choices.ts';
import { fold } from '../../flows/text.ts';
import type { Choice, Input } from '../../flows/types.ts';
import { CHOICE_PAYLOAD_PREFIX, type InboundEvent } from '../channels/types.ts';

/** `earlier`: choices of the message before the last, still tappable (accepted, never numbered). */
export function toInput(event: InboundEvent, offered: Choice[], truncated = false, numbersAreAnswers = false, earlier: readonly Choice[] = []): Input {
  switch (event.kind) {
    case 'unsupported':
      return event.text ? { kind: 'unsupported', text: event.text } : { kind: 'unsupported' };
    case 'start':
      return event.startCode ? { kind: 'start', code: event.startCode } : { kind: 'start' };
    case 'follow':
    case 'unfollow':
      return { kind: event.kind };
    case 'choice':
      if (!event.choice || !wellFormed(event.choice)) return { kind: 'unsupported' };
      // An old button, or one never offered: answered like words the bot did not understand.
      return accepted(event.choice, [...offered, ...earlier]) ? { kind: 'choice', choice: event.choice } : { kind: 'text', text: '' };
    case 'text': {
      const text = event.text ?? '';
      const mapped = matchChoice(text, offered, numbersAreAnswers, earlier);
      if (mapped) return { kind: 'choice', choice: mapped };
      return truncated ? { kind: 'text', text, truncated } : { kind: 'text', text };
    }
  }
}

export function matchChoice(text: string, offered: Choice[], numbersAreAnswers = false, earlier: readonly Choice[] = []): string | null {
  const t = text.trim();
  if (t.startsWith(CHOICE_PAYLOAD_PREFIX)) {
    const id = t.slice(CHOICE_PAYLOAD_PREFIX.length);
    return accepted(id, [...offered, ...earlier]) ? id : null;
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
