// Words that work anywhere in the conversation, typed with or without diacritics.
import { fold } from './text.ts';

export type Command = 'start' | 'menu' | 'stop' | 'delete' | 'language' | 'privacy' | 'urgent' | 'console';

const COMMANDS: Record<string, Command> = {
  '/start': 'start',
  start: 'start',
  'bat dau': 'start',
  '/menu': 'menu',
  menu: 'menu',
  '/help': 'menu',
  help: 'menu',
  'tro giup': 'menu',
  '/stop': 'stop',
  stop: 'stop',
  dung: 'stop',
  'dung lai': 'stop',
  'tam dung': 'stop',
  '/delete': 'delete',
  'xoa du lieu': 'delete',
  'xoa du lieu cua toi': 'delete',
  'delete my data': 'delete',
  '/language': 'language',
  'ngon ngu': 'language',
  language: 'language',
  '/privacy': 'privacy',
  '/urgent': 'urgent',
  '/sos': 'urgent',
  sos: 'urgent',
  'can giup ngay': 'urgent',
  // The club board's console (bot/console): a one-time sign-in link for coordinators.
  '/console': 'console',
  'quan ly cau lac bo': 'console',
  'quan ly clb': 'console',
};

export function commandOf(text: string): Command | null {
  const t = text.trim().toLowerCase();
  // Telegram sends "/start@BotName" in groups and "/start payload" from deep links.
  const slash = t.match(/^(\/[a-z]+)(?:@\w+)?(?:\s|$)/);
  if (slash) return COMMANDS[slash[1]!] ?? null;
  return COMMANDS[fold(text)] ?? null;
}
