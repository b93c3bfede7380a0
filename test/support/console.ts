// Helpers for the console's browser tests: Debian's Chromium through playwright-core, a fixed
// port so the app's PUBLIC_URL is its own address, and a coordinator who joined over Telegram.
import { type Browser, chromium } from 'playwright-core';
import type { RecordedCall } from '../fakes/telegram-server.ts';
import { buttonsOf } from './telegram.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The console link in the bot's replies (a URL button). */
export function consoleLinkIn(calls: RecordedCall[]): string | null {
  for (const c of calls) for (const b of buttonsOf(c)) if (b.url?.includes('/console/in/')) return b.url;
  return null;
}

/** Every count a page, chart or CSV shows: whole numbers standing alone in a cell or label. */
export function countsIn(texts: string[]): number[] {
  return texts.map((t) => t.trim()).filter((t) => /^\d+$/.test(t)).map(Number);
}
