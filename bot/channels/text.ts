// What the channels share in rendering a message as text: links as lines, choices as a list (the
// engine maps "2" back to the second choice offered), and one message as text parts.
import type { Choice } from '../../flows/types.ts';
import { splitText } from './split-text.ts';

export const isWebUrl = (url: string): boolean => /^https?:\/\//i.test(url);
export const isPhone = (url: string): boolean => /^tel:\+?\d+$/i.test(url);

/** A link as a text line: phone numbers (tel:) as the bare number, so it can be read and tapped. */
export function linkLine(link: { label: string; url: string }): string {
  return `${link.label}: ${link.url.replace(/^tel:/i, '')}`;
}

/** "1. Label" lines, numbered in the order the engine numbers offered choices. */
export function numberedList(labels: string[]): string {
  return labels.map((label, i) => `${i + 1}. ${label}`).join('\n');
}

/** Choices without buttons: numbered, or bulleted where a typed number is the answer itself. */
export function choiceList(choices: Choice[], numbersAreAnswers: boolean | undefined): string {
  return numbersAreAnswers ? choices.map((c) => `• ${c.label}`).join('\n') : numberedList(choices.map((c) => c.label));
}

/** Blocks of one message (text, list, links) as parts of at most `max` characters: empty blocks
 * dropped, a blank line between the rest, NFC; never empty. */
export function textParts(blocks: string[], max: number): string[] {
  const full = blocks
    .filter((b) => b.trim() !== '')
    .join('\n\n')
    .normalize('NFC')
    .trim();
  return splitText(full === '' ? '…' : full, max);
}
