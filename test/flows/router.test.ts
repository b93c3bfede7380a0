// The router's tables are data now (test/flows/testdata/router.json, run by scenarios.test.ts);
// what stays here needs a context a scenario file does not give: the person's clubs.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { route } from '../../flows/router.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState, StepContext } from '../../flows/types.ts';
import { choice, ids, text } from '../support/flow-table.ts';

const content = loadContent();
const NOW = new Date('2026-11-20T03:00:00Z');
const ready: FlowState = { ...newState(NOW), flow: 'menu', step: 'main', locale: 'en', consentScreening: true };
const ctx: StepContext = { now: NOW, locale: 'en', content, platform: 'telegram', retentionDays: 180 };

describe('privacy page', () => {
  it('lists club membership and volunteering when there are some', () => {
    const clubs = {
      clubs: [],
      mine: [{ clubId: 'x', role: 'member' as const, offsets: [1440], remindersOn: true }],
      assignments: [{ id: 1, clubId: 'x', alias: 'A', nextDueAt: NOW.toISOString(), timeZone: 'Asia/Ho_Chi_Minh' }],
    };
    const r = route(ready, choice('menu.privacy'), { ...ctx, clubs });
    expect(text(r)).toContain('You belong to 1 club(s)');
    expect(text(r)).toContain('You volunteer for 1 person');
    expect(ids(r)).toEqual(['privacy.erase', 'privacy.withdraw', 'menu.main']);
  });

  it('says nothing of clubs to someone without any', () => {
    const r = route(ready, choice('menu.privacy'), ctx);
    expect(text(r)).not.toContain('You belong to');
    expect(text(r)).not.toContain('You volunteer for');
  });
});
