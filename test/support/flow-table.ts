// Shared pieces of the flows' table tests: what a step said, which choices it offered, and
// the inputs a person gives.
import type { Input, StepResult } from '../../flows/types.ts';

/** Every message's text of a step, one per line. */
export const text = (r: StepResult) => r.messages.map((m) => m.text).join('\n');
/** Every choice id a step offered, in order. */
export const ids = (r: StepResult) => r.messages.flatMap((m) => (m.choices ?? []).flat().map((c) => c.id));
export const choice = (id: string): Input => ({ kind: 'choice', choice: id });
export const say = (t: string): Input => ({ kind: 'text', text: t });
