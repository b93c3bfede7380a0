// OutboundMessage → sendMessage texts. The Bot Platform documents no buttons, so choices are a
// numbered list ("2" typed back maps to the second choice) and links are text lines. NFC, then
// split at 2000 characters (the documented limit).
import { linkLine, MAX_TEXT_LENGTH, numberedList, splitText } from '../zalo-oa/render.ts';
import type { OutboundMessage } from '../types.ts';

export function renderBot(message: OutboundMessage): string[] {
  const choices = (message.choices ?? []).flat();
  const blocks = [message.text];
  // A typed number is the answer itself here (a number of days): list the choices unnumbered.
  if (choices.length) blocks.push(message.numbersAreAnswers ? choices.map((c) => `• ${c.label}`).join('\n') : numberedList(choices.map((c) => c.label)));
  const links = (message.links ?? []).map(linkLine);
  if (links.length) blocks.push(links.join('\n'));
  const full = blocks
    .filter((b) => b.trim() !== '')
    .join('\n\n')
    .normalize('NFC')
    .trim();
  return splitText(full === '' ? '…' : full, MAX_TEXT_LENGTH);
}
