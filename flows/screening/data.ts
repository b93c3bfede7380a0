// The questionnaire's answers as they live in FlowState.data while it runs (and only then: the
// result wipes them). Read defensively: the state comes back from the database.
import type { AgeGroup, FlowData } from '../types.ts';

export const AGE_GROUPS: readonly AgeGroup[] = ['12-15', '16-17', '18+'];

/** Answer ids keyed by question key ("q1.alcohol", "q8", "a.alcohol", "b.car"). */
export type Answers = Record<string, string>;

export interface ScreeningData {
  age: AgeGroup | null;
  answers: Answers;
}

export function readData(data: FlowData): ScreeningData {
  const age = AGE_GROUPS.find((g) => g === data['age']) ?? null;
  const answers: Answers = {};
  const raw = data['answers'];
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') answers[k] = v;
  }
  return { age, answers };
}

export function writeData(d: ScreeningData): FlowData {
  return { age: d.age, answers: { ...d.answers } };
}
