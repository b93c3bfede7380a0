// Start-up leaves tens of MB of garbage (content parsing, migration checks, module source) and a
// young generation grown to its maximum. One memory-reducing collection once the bot is up gives
// those pages back: idle RSS 164 → 124 MB measured (test/bench/mem-probe.ts). It needs
// `--expose-gc` (the start script sets it); without the flag this does nothing.
type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export function settleHeap(): void {
  const gc = (globalThis as { gc?: Gc }).gc;
  // 'last-resort' is V8's collect-all-available-garbage: it also shrinks the young generation.
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
