// What Zalo posts to our OA webhook: events in Zalo's shapes (ids and timestamps as strings),
// signed `mac=sha256(app_id + body + timestamp + OA secret key)`, and a person who types and taps
// buttons. Our webhook answers before the turn runs, so each action waits until the inbox is
// empty again and the outbox has sent its replies, and returns the messages delivered to that person meanwhile.
import { createHash } from 'node:crypto';
import { parseExactJson } from '../../bot/channels/inbox/exact-json.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { type FakeZaloOa, type OaSend, zaloSaw } from './zalo-oa-server.ts';

export const OA_SECRET_KEY = 'oa-secret-key-Zx81_test';
export const OA_ID = '3662729599332560487';

let seq = 0;
/** A msg_id like Zalo's (20 hex characters). */
export const newMsgId = () => (Date.now().toString(16) + (seq++).toString(16).padStart(6, '0') + Math.random().toString(16).slice(2)).slice(0, 20);
/** Zalo user ids are 18-19 digits: beyond 2^53, so only strings keep them exact. */
export const newUserId = () => `61${String(Date.now()).slice(-9)}${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const timestamp = () => String(Date.now());

export const oaEvents = {
  text: (appId: string, userId: string, text: string, msgId = newMsgId()) => ({
    event_name: 'user_send_text',
    app_id: appId,
    sender: { id: userId },
    recipient: { id: OA_ID },
    message: { text, msg_id: msgId },
    timestamp: timestamp(),
    user_id_by_app: '979122185046046317',
  }),
  image: (appId: string, userId: string, msgId = newMsgId()) => ({
    event_name: 'user_send_image',
    app_id: appId,
    sender: { id: userId },
    recipient: { id: OA_ID },
    message: { msg_id: msgId, attachments: [{ type: 'image', payload: { thumbnail: 'https://example.invalid/t.jpg', url: 'https://example.invalid/i.jpg' } }] },
    timestamp: timestamp(),
  }),
  sticker: (appId: string, userId: string, msgId = newMsgId()) => ({
    event_name: 'user_send_sticker',
    app_id: appId,
    sender: { id: userId },
    recipient: { id: OA_ID },
    message: { msg_id: msgId, attachments: [{ type: 'sticker', payload: { id: 'abc', url: 'https://example.invalid/s.png' } }] },
    timestamp: timestamp(),
  }),
  follow: (appId: string, userId: string, name: 'follow' | 'unfollow' = 'follow') => ({
    event_name: name,
    app_id: appId,
    oa_id: OA_ID,
    follower: { id: userId },
    source: 'oa_profile',
    timestamp: timestamp(),
    user_id_by_app: '979122185046046317',
  }),
  /** Our own message, echoed back. */
  echo: (appId: string, userId: string, text: string) => ({
    event_name: 'oa_send_text',
    app_id: appId,
    sender: { id: OA_ID },
    recipient: { id: userId },
    message: { text, msg_id: newMsgId() },
    timestamp: timestamp(),
  }),
  /** A form the person filled in: a name and a phone number we must never keep. */
  submitInfo: (appId: string, userId: string, name: string, phone: string) => ({
    event_name: 'user_submit_info',
    app_id: appId,
    sender: { id: userId },
    recipient: { id: OA_ID },
    info: { name, phone, address: '12 Phố Huế', city: 'Hà Nội', district: 'Hai Bà Trưng' },
    timestamp: timestamp(),
  }),
};

export function sign(appId: string, raw: string, ts: string, key: string): string {
  return `mac=${createHash('sha256').update(appId + raw + ts + key).digest('hex')}`;
}

export interface PostOptions {
  /** null: no header; a string: that header; default: signed correctly with OA_SECRET_KEY. */
  signature?: string | null;
  /** Sign with this key instead (e.g. the app secret, which is wrong). */
  key?: string;
}

/** Post a body (object, or a raw string sent byte for byte) to /webhooks/zalo-oa. */
export async function postOaEvent(appUrl: string, appId: string, body: unknown, o: PostOptions = {}): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = typeof body === 'object' && body && 'timestamp' in body ? String((body as { timestamp: unknown }).timestamp) : '';
  const header = o.signature === undefined ? sign(appId, raw, ts, o.key ?? OA_SECRET_KEY) : o.signature;
  // The person acted on Zalo, whatever our webhook makes of it.
  try {
    zaloSaw(appId, parseExactJson(raw));
  } catch {}
  return fetch(`${appUrl}/webhooks/zalo-oa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'X-ZEvent-Signature': header }) },
    body: raw,
  });
}

/** Resolves once no event of `channel` waits in the inbox (so every accepted turn has run). */
/** Until the inbox holds no live event of `channel` (parked ones are set aside for good).
 * Bounded generously: under load a turn can take seconds; only a stuck inbox fails. */
export async function inboxDrained(prisma: PrismaClient, channel = 'zalo-oa', timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await prisma.inboundEvent.count({ where: { channel, parkedAt: null } })) > 0) {
    if (Date.now() > deadline) throw new Error(`inbox not drained within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Until every event of `channel` has run and every reply it wrote has been accepted by the
 * platform: the outbox sends after the turn's commit (and retries a failed send), so an empty
 * inbox alone does not mean the replies are out. */
export async function repliesOut(prisma: PrismaClient, channel = 'zalo-oa', timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await inboxDrained(prisma, channel, timeoutMs);
    if ((await prisma.outbox.count({ where: { channel } })) === 0) return;
    if (Date.now() > deadline) throw new Error(`replies not out within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A person on the OA: each action posts a signed event and returns what they received. */
export class OaChat {
  readonly fake: FakeZaloOa;
  readonly appUrl: string;
  readonly prisma: PrismaClient;
  readonly userId: string;
  constructor(fake: FakeZaloOa, appUrl: string, prisma: PrismaClient, userId: string = newUserId()) {
    this.fake = fake;
    this.appUrl = appUrl;
    this.prisma = prisma;
    this.userId = userId;
  }

  async post(event: unknown, o: PostOptions = {}): Promise<OaSend[]> {
    const before = this.fake.delivered(this.userId).length;
    const res = await postOaEvent(this.appUrl, this.fake.appId, event, o);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    await repliesOut(this.prisma);
    return this.fake.delivered(this.userId).slice(before);
  }

  say(text: string) {
    return this.post(oaEvents.text(this.fake.appId, this.userId, text));
  }

  /** Tap an oa.query.hide button: Zalo sends its payload back as text. */
  tap(choiceId: string) {
    return this.say(`#c:${choiceId}`);
  }

  async choose(replies: OaSend[], choiceId: string): Promise<OaSend[]> {
    const offered = payloadIds(replies);
    if (!offered.includes(choiceId)) throw new Error(`choice ${choiceId} not offered; offered: ${offered.join(', ')}`);
    return this.tap(choiceId);
  }
}

/** Choice ids behind the buttons of the last message that had buttons. */
export function payloadIds(replies: OaSend[]): string[] {
  const withButtons = replies.filter((r) => r.payloads.length > 0);
  return (withButtons.at(-1)?.payloads ?? []).map((p) => p.replace(/^#c:/, ''));
}

/** The OA part of a test app's environment, pointing both roots at the fake. */
export function oaEnv(fake: FakeZaloOa, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ZALO_APP_ID: fake.appId,
    ZALO_APP_SECRET: fake.appSecret,
    ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
    ZALO_OA_ACCESS_TOKEN: fake.accessToken,
    ZALO_OA_REFRESH_TOKEN: fake.refreshToken,
    ZALO_OA_API_ROOT: fake.url,
    ZALO_OAUTH_ROOT: fake.url,
    ...overrides,
  };
}

/** The number in front of `label` in the last numbered list received ("2. Label"). */
export function numberOf(replies: OaSend[] | string[], label: string): string {
  const texts = replies.map((r) => (typeof r === 'string' ? r : r.text));
  for (const text of texts.toReversed()) {
    for (const line of text.split('\n')) {
      const m = /^(\d+)\. (.*)$/.exec(line);
      if (m && m[2] === label) return m[1]!;
    }
  }
  throw new Error(`no numbered choice "${label}" in the replies`);
}
