// pino, with the fields that could identify a person or leak a secret redacted at the source.
// Code never logs addresses or message text on purpose; this is the second line of defence.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

const REDACT = [
  'address',
  'text',
  'chatId',
  'chat_id',
  'userId',
  'user_id',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-bot-api-secret-token"]',
  'req.headers["x-zevent-signature"]',
  'req.headers.cookie',
  '*.address',
  '*.text',
  '*.token',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT, censor: '[redacted]' },
      // Request URLs carry bot tokens on some platforms' paths; never log a full URL.
      serializers: {
        err: pino.stdSerializers.err,
        req: (req: { method?: string; routeOptions?: { url?: string } }) => ({
          method: req.method,
          route: req.routeOptions?.url,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    // Asynchronous writes: a log line must not hold up a turn (pino flushes them on exit).
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
