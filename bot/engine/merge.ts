// One turn's replies as few platform messages as reads well: plain texts run into the message
// that follows them. On a phone that is one notification instead of three, and fewer API calls
// against the platform's rate limits. Channels still split a text that is too long for them.
import type { OutboundMessage } from '../../flows/types.ts';

export function mergeReplies(messages: OutboundMessage[]): OutboundMessage[] {
  const out: OutboundMessage[] = [];
  let pending: string[] = [];
  for (const m of messages) {
    const plain = !m.choices?.length && !m.links?.length;
    if (plain) {
      pending.push(m.text);
      continue;
    }
    out.push(pending.length ? { ...m, text: [...pending, m.text].join('\n\n') } : m);
    pending = [];
  }
  if (pending.length) out.push({ text: pending.join('\n\n') });
  return out;
}
