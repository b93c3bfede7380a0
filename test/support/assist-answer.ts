// The answers every end-to-end ASSIST walk gives (Telegram taps, Zalo buttons or numbers): age
// 18+, "yes" to the first substance class and "no" to the rest, weekly use, then "no"/never.

/** The next answer among the offered choice ids; null once no screening answer is on offer. */
export function assistAnswer(offered: string[], saidYes: boolean): string | null {
  if (offered.includes('screen.age.18-plus')) return 'screen.age.18-plus';
  if (offered.includes('screen.yes')) return saidYes ? 'screen.no' : 'screen.yes';
  if (offered.includes('screen.freq.weekly')) return 'screen.freq.weekly';
  if (offered.includes('screen.ever.no')) return 'screen.ever.no';
  return null;
}
