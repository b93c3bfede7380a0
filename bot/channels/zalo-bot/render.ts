// OutboundMessage → sendMessage texts. The Bot Platform documents no buttons, so choices are a
// numbered list ("2" typed back maps to the second choice) and links are text lines. NFC, then
// split at 2000 characters (the documented limit).
import type { OutboundMessage } from '../types.ts';
import { choiceList, linkLine, textParts } from '../text.ts';

/** The Bot Platform's documented limit. */
const MAX_TEXT_LENGTH = 2000;

export function renderBot(message: OutboundMessage): string[] {
  const choices = (message.choices ?? []).flat();
  const blocks = [message.text];
  // A typed number is the answer itself here (a number of days): list the choices unnumbered.
  if (choices.length) blocks.push(choiceList(choices, message.numbersAreAnswers));
  const links = (message.links ?? []).map(linkLine);
  if (links.length) blocks.push(links.join('\n'));
  return textParts(blocks, MAX_TEXT_LENGTH);
}
