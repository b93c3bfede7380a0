// The Zalo OA messaging window, in one place: Zalo accepts consultation messages only within
// 7 days of the person's last message or tap. Outside it nothing is sent and the send reports
// outside_window. The Zalo Bot Platform has no such window; Telegram and the web neither.
import type { ChannelName } from '../types.ts';

export const WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Is a message to someone last heard from at `lastInboundAt` outside the channel's window?
 * No time known (no contact row): nothing says so, so it is tried. */
export function outsideWindow(channel: ChannelName | string, lastInboundAt: Date | null | undefined, now: Date): boolean {
  if (channel !== 'zalo-oa' || !lastInboundAt) return false;
  return now.getTime() - lastInboundAt.getTime() > WINDOW_MS;
}
