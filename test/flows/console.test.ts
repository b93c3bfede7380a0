// "quản lý câu lạc bộ" / "/console" as a table: only a coordinator gets a link (one per club they
// coordinate), carrying a token the engine supplied; the effect asks for it to be stored.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { needsClubs } from '../../flows/clubs/index.ts';
import type { ClubsView, ClubView, MyMembership } from '../../flows/clubs/types.ts';
import { commandOf } from '../../flows/commands.ts';
import { route } from '../../flows/router.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState, StepResult } from '../../flows/types.ts';
import { say, text } from '../support/flow-table.ts';

const content = loadContent();
const NOW = new Date('2026-03-01T03:00:00Z');
const club = (id: string, name: string): ClubView => ({
  id, name, province: 'Đồng Nai', commune: 'Phường', venue: 'Nhà văn hóa', board: '', timeZone: 'Asia/Ho_Chi_Minh', requiresInvite: true, sample: false, next: [],
});
const as = (clubId: string, role: MyMembership['role']): MyMembership => ({ clubId, role, offsets: [1440], remindersOn: true });
const ready = (): FlowState => ({ ...newState(NOW), flow: 'menu', step: 'main', locale: 'vi', consentScreening: true });
const BASE = 'https://donghanh.example.org';

function ask(words: string, mine: MyMembership[], tokens = ['t1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 't2-bbbbbbbbbbbbbbbbbbbbbbbbbbbbb']): StepResult {
  const clubs: ClubsView = { clubs: [club('xuan-tan', 'CLB Xuân Tân'), club('bau-sen', 'CLB Bàu Sen')], mine, assignments: [], console: { baseUrl: BASE, tokens } };
  return route(ready(), say(words), { now: NOW, locale: 'vi', content, platform: 'telegram', retentionDays: 180, clubs });
}

describe('console sign-in link', () => {
  it.each(['quản lý câu lạc bộ', 'Quan ly cau lac bo', '/console', 'quản lý CLB', '/console@DongHanhBot'])('"%s" is the console command', (w) => {
    expect(commandOf(w)).toBe('console');
    expect(needsClubs(ready(), say(w), false)).toBe(true);
  });

  it('a coordinator gets one link per club they coordinate, as a button, and an effect to store it', () => {
    const r = ask('quản lý câu lạc bộ', [as('xuan-tan', 'coordinator'), as('bau-sen', 'member')]);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]!.links).toEqual([{ label: 'Mở trang quản lý: CLB Xuân Tân', url: `${BASE}/console/in/t1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaa` }]);
    expect(text(r)).toMatch(/một lần.*10 phút/);
    expect(r.effects).toEqual([{ type: 'consoleLink', clubId: 'xuan-tan', token: 't1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }]);
    const two = ask('/console', [as('xuan-tan', 'coordinator'), as('bau-sen', 'coordinator')]);
    expect(two.effects.map((e) => e.type === 'consoleLink' && e.clubId)).toEqual(['xuan-tan', 'bau-sen']);
  });

  it.each([
    ['a member', [as('xuan-tan', 'member')]],
    ['a volunteer', [as('xuan-tan', 'volunteer')]],
    ['someone in no club', []],
  ])('%s gets no link, and a word on who the console is for', (_who, mine) => {
    const r = ask('quản lý câu lạc bộ', mine);
    expect(r.messages.flatMap((m) => m.links ?? [])).toEqual([]);
    expect(r.effects).toEqual([]);
    expect(text(r)).toContain('chỉ dành cho Ban Chủ nhiệm');
  });

  it('without tokens (no console address) the coordinator is told to try later', () => {
    const r = ask('/console', [as('xuan-tan', 'coordinator')], []);
    expect(r.effects).toEqual([]);
    expect(text(r)).toContain('chưa mở được');
  });
});
