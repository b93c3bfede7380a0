// Telegram updates as Telegram sends them, and a person who taps buttons: posts updates to our
// real webhook and reads the replies the fake Bot API recorded.
import type { FakeTelegram, RecordedCall } from '../fakes/telegram-server.ts';
import { deliveriesDone } from './app.ts';

export const WEBHOOK_SECRET = 'test_webhook-SECRET_0123456789';
export const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

let nextUpdateId = 700_000_000 + Math.floor(Math.random() * 1_000_000);
export const newUpdateId = () => nextUpdateId++;

export interface TgPerson {
  chatId: number;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

function from(p: TgPerson) {
  return {
    id: p.chatId,
    is_bot: false,
    first_name: p.firstName,
    ...(p.lastName ? { last_name: p.lastName } : {}),
    ...(p.username ? { username: p.username } : {}),
    ...(p.languageCode ? { language_code: p.languageCode } : {}),
  };
}

function chat(p: TgPerson) {
  return {
    id: p.chatId,
    type: 'private',
    first_name: p.firstName,
    ...(p.lastName ? { last_name: p.lastName } : {}),
    ...(p.username ? { username: p.username } : {}),
  };
}

let nextMessageId = 1;
function message(p: TgPerson, extra: Record<string, unknown>) {
  return { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: chat(p), from: from(p), ...extra };
}

export const updates = {
  text: (p: TgPerson, text: string, updateId = newUpdateId()) => ({ update_id: updateId, message: message(p, { text }) }),
  callback: (p: TgPerson, data: string, updateId = newUpdateId()) => ({
    update_id: updateId,
    callback_query: {
      id: `cbq-${updateId}`,
      from: from(p),
      chat_instance: '42',
      message: message(p, { text: '…' }),
      data,
    },
  }),
  sticker: (p: TgPerson, updateId = newUpdateId()) => ({
    update_id: updateId,
    message: message(p, { sticker: { file_id: 'CAACAgIAAx', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }),
  }),
  photo: (p: TgPerson, updateId = newUpdateId()) => ({
    update_id: updateId,
    message: message(p, { photo: [{ file_id: 'AgACAgIAAx', file_unique_id: 'AQAD', width: 90, height: 90 }], caption: 'ảnh của tôi' }),
  }),
  kicked: (p: TgPerson, updateId = newUpdateId()) => ({
    update_id: updateId,
    my_chat_member: {
      chat: chat(p),
      from: from(p),
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { status: 'member', user: { id: 123456, is_bot: true, first_name: 'Bot' } },
      new_chat_member: { status: 'kicked', until_date: 0, user: { id: 123456, is_bot: true, first_name: 'Bot' } },
    },
  }),
};

/** Post an update to the app's webhook; resolves once the app has also sent the turn's replies
 * (the webhook itself answers at the commit). */
export async function postUpdate(appUrl: string, body: unknown, secret: string | null = WEBHOOK_SECRET): Promise<Response> {
  const res = await sendUpdate(appUrl, body, secret);
  await deliveriesDone(appUrl);
  return res;
}

/** The same, resolving with the webhook's answer (the turn committed, its replies maybe not yet sent). */
export function sendUpdate(appUrl: string, body: unknown, secret: string | null = WEBHOOK_SECRET): Promise<Response> {
  return fetch(`${appUrl}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { [SECRET_HEADER]: secret }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

interface Button {
  text: string;
  callback_data?: string;
  url?: string;
}

/** The callback ids of a recorded sendMessage's inline keyboard. */
export function buttonsOf(call: RecordedCall): Button[] {
  const markup = call.params['reply_markup'] as { inline_keyboard?: Button[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat();
}

export function choiceIds(calls: RecordedCall[]): string[] {
  return calls.flatMap(buttonsOf).flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

/** A person in a webhook conversation: each action waits for its turn and its replies. */
export class TelegramChat {
  readonly fake: FakeTelegram;
  readonly appUrl: string;
  readonly person: TgPerson;
  constructor(fake: FakeTelegram, appUrl: string, person: TgPerson) {
    this.fake = fake;
    this.appUrl = appUrl;
    this.person = person;
  }

  private sentTo(): RecordedCall[] {
    return this.fake.calls('sendMessage').filter((c) => String(c.params['chat_id']) === String(this.person.chatId) && c.status === 200);
  }

  /** Post one update and return the messages this chat received during its turn. */
  async post(update: unknown): Promise<RecordedCall[]> {
    const before = this.sentTo().length;
    const res = await sendUpdate(this.appUrl, update);
    // As on Telegram: a call in the webhook's response is run too, as it arrives.
    await this.fake.webhookAnswered(res);
    await deliveriesDone(this.appUrl);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return this.sentTo().slice(before);
  }

  say(text: string) {
    return this.post(updates.text(this.person, text));
  }

  tap(data: string) {
    return this.post(updates.callback(this.person, data));
  }

  /** Tap a choice that must be on offer in `replies`. */
  async choose(replies: RecordedCall[], data: string): Promise<RecordedCall[]> {
    const offered = choiceIds(replies);
    if (!offered.includes(data)) throw new Error(`choice ${data} not offered; offered: ${offered.join(', ')}`);
    return this.tap(data);
  }
}

/** The Telegram part of a test app's environment; webhook mode unless `polling`. */
export function telegramEnv(fake: FakeTelegram, mode: 'webhook' | 'polling' = 'webhook'): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ...(mode === 'webhook' ? { PUBLIC_URL: PUBLIC_URL } : {}),
  };
}

export const PUBLIC_URL = 'https://donghanh.example.org';

/** A private-chat person with a random id (Telegram user ids are below 2^52). */
export function person(overrides: Partial<TgPerson> = {}): TgPerson {
  return { chatId: 1_000_000_000 + Math.floor(Math.random() * 8_000_000_000), firstName: 'Lan', languageCode: 'vi', ...overrides };
}
