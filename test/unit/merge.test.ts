import { describe, expect, it } from 'vitest';
import { mergeReplies } from '../../bot/engine/merge.ts';

const menu = [[{ id: 'menu.main', label: 'Menu' }]];

describe('mergeReplies', () => {
  const cases: [string, Parameters<typeof mergeReplies>[0], ReturnType<typeof mergeReplies>][] = [
    ['plain texts run into the message with buttons', [{ text: 'a' }, { text: 'b' }, { text: 'c', choices: menu }], [{ text: 'a\n\nb\n\nc', choices: menu }]],
    ['a message with buttons stays where it is', [{ text: 'a', choices: menu }, { text: 'b' }], [{ text: 'a', choices: menu }, { text: 'b' }]],
    ['links count as buttons', [{ text: 'a' }, { text: 'b', links: [{ label: 'x', url: 'https://x' }] }], [{ text: 'a\n\nb', links: [{ label: 'x', url: 'https://x' }] }]],
    ['only texts become one', [{ text: 'a' }, { text: 'b' }], [{ text: 'a\n\nb' }]],
    ['nothing stays nothing', [], []],
  ];
  for (const [name, input, want] of cases) it(name, () => expect(mergeReplies(input)).toEqual(want));
});
