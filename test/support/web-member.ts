// A web visitor who joins a club on the web chat and asks for a one-time move code, through the
// web chat's own API (whole messages, links included). For the link-code tests.
import { randomUUID } from 'node:crypto';
import type { OutboundMessage } from '../../flows/types.ts';
import type { TestApp } from './app.ts';

export interface WebMember {
  subject(): string;
  choose(choice: string): Promise<OutboundMessage[]>;
  /** First contact to a membership of the club (open to anyone), on the web. */
  join(): Promise<OutboundMessage[]>;
  /** "Get reminders on Zalo/Telegram": the code as shown ("K7P-M2Q-XW4", read from the text). */
  move(): Promise<{ code: string; messages: OutboundMessage[] }>;
}

const words = (messages: OutboundMessage[]) => messages.map((m) => m.text).join('\n');

/** The web chat's own API, as the page calls it: one visitor, named by the cookie it was given. */
export function webClient(t: TestApp): { post(body: Record<string, unknown>): Promise<OutboundMessage[]>; cookie(): string | null } {
  let cookie: string | null = null;
  return {
    cookie: () => cookie,
    async post(body) {
      const res = await fetch(`${t.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'vi', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ id: randomUUID(), ...body }),
      });
      const set = res.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      if (res.status !== 200) throw new Error(`web chat answered ${res.status}`);
      return ((await res.json()) as { messages: OutboundMessage[] }).messages;
    },
  };
}

export function webMember(t: TestApp, clubId: string): WebMember {
  const web = webClient(t);
  const post = web.post;
  const choose = (choice: string) => post({ kind: 'choice', choice });
  return {
    choose,
    subject: () => t.running.engine.subjectOf('web', web.cookie()?.split('=')[1]?.split('.')[0] ?? ''),
    async join() {
      await post({ kind: 'start' });
      await choose('lang.vi');
      await choose('consent.yes');
      await choose(`clubs.card.${clubId}`);
      await choose(`clubs.join.${clubId}`);
      return choose('clubs.consent.yes');
    },
    async move() {
      const messages = await choose('clubs.move');
      const shown = /\b([A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3})\b/.exec(words(messages))?.[1];
      if (!shown) throw new Error(`no code in: ${words(messages)}`);
      return { code: shown, messages };
    },
  };
}
