// An inbound event as stored in inbound_event.payload_enc: JSON encrypted with ADDRESS_KEY,
// because it holds the address and the typed text. Only the processor ever opens it.
import { z } from 'zod';
import { decrypt, encrypt } from '../../privacy/crypto.ts';
import { CHANNEL_NAMES, type InboundEvent } from '../types.ts';

const Sealed = z.object({
  v: z.literal(1),
  truncated: z.boolean(),
  event: z.object({
    channel: z.enum(CHANNEL_NAMES),
    externalId: z.string(),
    address: z.string(),
    kind: z.enum(['start', 'text', 'choice', 'unsupported', 'follow', 'unfollow']),
    text: z.string().optional(),
    choice: z.string().optional(),
    startCode: z.string().max(20).optional(),
    locale: z.string().optional(),
    receivedAt: z.iso.datetime(),
  }),
});

export interface Unsealed {
  event: InboundEvent;
  truncated: boolean;
}

export function seal(key: Buffer, event: InboundEvent, truncated: boolean): string {
  return encrypt(key, JSON.stringify({ v: 1, truncated, event: { ...event, receivedAt: event.receivedAt.toISOString() } }));
}

/** Throws when the value cannot be decrypted or is not a sealed event (the message says nothing more). */
export function unseal(key: Buffer, sealed: string): Unsealed {
  const parsed = Sealed.safeParse(JSON.parse(decrypt(key, sealed)));
  if (!parsed.success) throw new Error('sealed inbound event has an unexpected shape');
  const { event, truncated } = parsed.data;
  const out: InboundEvent = {
    channel: event.channel,
    externalId: event.externalId,
    address: event.address,
    kind: event.kind,
    receivedAt: new Date(event.receivedAt),
    ...(event.text !== undefined ? { text: event.text } : {}),
    ...(event.choice !== undefined ? { choice: event.choice } : {}),
    ...(event.startCode !== undefined ? { startCode: event.startCode } : {}),
    ...(event.locale !== undefined ? { locale: event.locale } : {}),
  };
  return { event: out, truncated };
}
