// `npm run eval [dev] [street] [probes]`: the figures on the held-out parts (or the development parts) of the
// first corpus (or a named one, see measure.ts), every miss.
import { loadContent } from '../../content/load.ts';
import { measureProbes } from './probes.ts';
import { CORPORA, type Corpus, CRISIS_LABELS, fmt, measureCrisis, measureIntents, type Part } from './measure.ts';

const args = process.argv.slice(2);
const part: Part = args.includes('dev') ? 'dev' : 'held-out';
const corpus: Corpus = CORPORA.find((c) => c && args.includes(c)) ?? '';
const name = corpus ? `${corpus} ${part}` : part;
const content = loadContent();
const c = measureCrisis(content, part, corpus);
const out: string[] = [`Crisis (${name}, ${c.n} messages)`];
for (const t of CRISIS_LABELS) if (c.recall[t]) out.push(`  recall ${t.padEnd(8)} ${fmt(c.recall[t])}`);
out.push(`  any alarm when one is needed  ${fmt(c.alarmRecall)}`);
out.push(`  tier accuracy                 ${fmt(c.tierAccuracy)}`);
out.push(`  false alarms (no crisis)      ${fmt(c.falseAlarms)}`);
out.push(`  overdose questions answered   ${fmt(c.questions)}`);
out.push(`  misses (${c.misses.length}):`);
for (const m of c.misses) out.push(`    want ${m.want.padEnd(8)} got ${m.got.padEnd(8)} ${JSON.stringify(m.text)}`);
const i = measureIntents(content, part, corpus);
out.push('', `Intents (${name}, ${i.n} messages)`);
out.push(`  landed on the right page at once  ${fmt(i.accuracy)}`);
out.push(`  right page at once or suggested   ${fmt(i.offered)}`);
out.push(`  misses (${i.misses.length}):`);
for (const m of i.misses) out.push(`    want ${m.want.padEnd(10)} got ${m.got.padEnd(10)} offered [${m.offered.join(', ')}] ${JSON.stringify(m.text)}`);
if (args.includes('probes')) {
  out.push('', 'Probes (templated families, with and without marks)');
  for (const p of measureProbes(content)) {
    out.push(`  ${p.name.padEnd(45)} want ${p.want.padEnd(8)} ${fmt(p)}`);
    for (const m of p.misses) out.push(`    got ${m.got.padEnd(8)} ${JSON.stringify(m.text)}`);
  }
}
console.log(out.join('\n'));
