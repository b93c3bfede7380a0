// Walking the screening flow as a table of rows, checking every reply on the way: shared by
// the ASSIST (adult) and CRAFFT (12-17) tables.
import { expect } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { screeningFlow } from '../../flows/screening/index.ts';
import { newState } from '../../flows/state.ts';
import type { Effect, FlowState, Input, Locale, StepContext, StepResult } from '../../flows/types.ts';
import { choice, ids, text } from './flow-table.ts';

export const content = loadContent();
export const NOW = new Date('2026-11-20T03:00:00Z');
/** Words that must never label a person. */
export const STIGMA = /con nghiện|nghiện ngập|đối tượng|addict/i;

export const ctx = (locale: Locale): StepContext => ({ now: NOW, locale, content, platform: 'web', retentionDays: 180 });
export const base = (locale: Locale): FlowState => ({ ...newState(NOW), flow: 'menu', step: 'main', locale, consentScreening: true });

/** One row of a walk: what the person does, and what the bot must answer. */
export interface Row {
  input: Input;
  has?: string[];
  lacks?: string[];
  choices?: string[];
  effects?: Effect[];
}

/** Enter the screening and answer the age question with this choice id. */
export function startAt(locale: Locale, ageChoice: string): StepResult {
  const intro = screeningFlow.enter(base(locale), ctx(locale));
  return screeningFlow.step(intro.state!, choice(ageChoice), ctx(locale));
}

/** Play the rows from a state, checking each reply; returns every result. */
export function walk(from: StepResult, rows: Row[], locale: Locale): StepResult[] {
  const out: StepResult[] = [];
  let state = from.state!;
  rows.forEach((row, i) => {
    const r = screeningFlow.step(state, row.input, ctx(locale));
    const where = `row ${i} (${JSON.stringify(row.input)})`;
    for (const h of row.has ?? []) expect(text(r), where).toContain(h);
    for (const h of row.lacks ?? []) expect(text(r), where).not.toContain(h);
    if (row.choices) expect(ids(r), where).toEqual(row.choices);
    expect(r.effects, where).toEqual(row.effects ?? []);
    // The engine maps typed numbers and labels through `offered`: it must be the last choices.
    expect(r.state!.offered.map((c) => c.id), where).toEqual(r.messages.at(-1)!.choices!.flat().map((c) => c.id));
    expect(text(r), where).not.toMatch(STIGMA);
    out.push(r);
    state = r.state!;
  });
  return out;
}
