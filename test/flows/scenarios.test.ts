// Flow scenarios as data (goflow's snapshot tests): each test/flows/testdata/*.json holds
// conversations through the router, step by step: an input, and exactly the messages, effects
// and state it leads to. `says` lists words a step must say whatever the content becomes (written
// by hand, never rewritten). After a deliberate change of wording or behaviour, run
// `UPDATE=1 npx vitest run test/flows/scenarios.test.ts` to write the new outputs into the
// files, then read the diff: it is the change a reviewer sees.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rowToEntry, sampleRows } from '../../bot/services/directory.ts';
import { loadContent } from '../../content/load.ts';
import { route } from '../../flows/router.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState, Input, Locale, OutboundMessage, StepContext, StepResult } from '../../flows/types.ts';

const DIR = path.join(import.meta.dirname, 'testdata');
const UPDATE = process.env['UPDATE'] === '1';
const content = loadContent();
// The shipped sample directory, as the database gives it back (the services flow reads it).
const entries = sampleRows(content).map((r) => rowToEntry(r as Parameters<typeof rowToEntry>[0]));

/** A message as the file shows it: each choice as "id = label", a row of buttons per array. */
type Shown = Omit<OutboundMessage, 'choices'> & { choices?: string[][] };

/** What a step leads to; the state without its clock and offered list (the last message shows them). */
interface Outcome {
  messages: Shown[];
  effects: StepResult['effects'];
  state: Pick<FlowState, 'flow' | 'step' | 'locale' | 'consentScreening' | 'data' | 'paused'> | null;
}

interface Step {
  /** A typed text, a tapped choice id, or any other input. */
  say?: string;
  choose?: string;
  input?: Input;
  /** Hours after the scenario's start. */
  afterHours?: number;
  /** Words the step must say (checked in every mode, never rewritten). */
  says?: string[];
  expect?: Outcome;
}

interface Scenario {
  name: string;
  /** Where the person stands: new (no state), or past language and consent at the menu. */
  from: 'new' | 'ready-vi' | 'ready-en';
  steps: Step[];
}

interface File {
  about: string;
  platform: StepContext['platform'];
  now: string;
  scenarios: Scenario[];
}

function inputOf(s: Step): Input {
  if (s.say !== undefined) return { kind: 'text', text: s.say };
  if (s.choose !== undefined) return { kind: 'choice', choice: s.choose };
  if (s.input) return s.input;
  throw new Error('a step needs say, choose or input');
}

function outcomeOf(r: StepResult): Outcome {
  const s = r.state;
  const state = s && { flow: s.flow, step: s.step, locale: s.locale, consentScreening: s.consentScreening, data: s.data, ...(s.paused ? { paused: s.paused } : {}) };
  // Through JSON, as the file holds it (no undefined fields).
  const messages = r.messages.map(({ choices, ...m }): Shown => (choices ? { ...m, choices: choices.map((row) => row.map((c) => `${c.id} = ${c.label}`)) } : m));
  return JSON.parse(JSON.stringify({ messages, effects: r.effects, state }));
}

function startOf(from: Scenario['from'], now: Date): FlowState | null {
  if (from === 'new') return null;
  return { ...newState(now), flow: 'menu', step: 'main', locale: from === 'ready-en' ? 'en' : 'vi', consentScreening: true };
}

/** A list of strings or numbers on one line (a row of buttons, the words a step says). */
const oneLineLists = (json: string) =>
  json.replace(/\[\n\s+((?:"(?:[^"\\]|\\.)*"|-?[\d.]+)(?:,\n\s+(?:"(?:[^"\\]|\\.)*"|-?[\d.]+))*)\n\s+\]/g, (_, items: string) => `[${items.split(/,\n\s+/).join(', ')}]`);

for (const name of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
  const file = path.join(DIR, name);
  const data = JSON.parse(readFileSync(file, 'utf8')) as File;
  const start = new Date(data.now);

  describe(`${name}: ${data.about}`, () => {
    for (const scenario of data.scenarios) {
      it(scenario.name, () => {
        let state = startOf(scenario.from, start);
        scenario.steps.forEach((s, i) => {
          const now = new Date(start.getTime() + (s.afterHours ?? 0) * 3_600_000);
          const ctx: StepContext = { now, locale: (state?.locale ?? 'vi') as Locale, content, platform: data.platform, retentionDays: 180, services: { entries } };
          const r = route(state, inputOf(s), ctx);
          const actual = outcomeOf(r);
          const where = `${scenario.name}, step ${i + 1}`;
          const said = r.messages.map((m) => m.text).join('\n');
          for (const word of s.says ?? []) expect(said, where).toContain(word);
          if (UPDATE) s.expect = actual;
          else {
            expect(s.expect, `${where}: no expected outcome; run with UPDATE=1`).toBeDefined();
            expect(actual, where).toEqual(s.expect);
          }
          state = r.state;
        });
      });
    }
  });

  afterAll(() => {
    if (UPDATE) writeFileSync(file, `${oneLineLists(JSON.stringify(data, null, 2))}\n`);
  });
}
