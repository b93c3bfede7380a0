// The world the clubs flow sees in the flow tables (test/flows/clubs*.test.ts): two clubs in
// Đồng Nai, one open with three meetings ahead, one by invite only; a person at the main menu.
import type { ClubsView, ClubView } from '../../flows/clubs/types.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState } from '../../flows/types.ts';

export const NOW = new Date('2026-03-01T03:00:00Z');

export const open: ClubView = {
  id: 'xuan-tan',
  name: 'CLB Xuân Tân',
  province: 'Tỉnh Đồng Nai',
  commune: 'Phường Xuân Tân',
  venue: 'Nhà văn hóa',
  board: '',
  timeZone: 'Asia/Ho_Chi_Minh',
  requiresInvite: false,
  sample: false,
  next: [
    { id: 11, startsAt: '2026-03-14T01:00:00.000Z', topic: 'Chia sẻ', venue: 'Nhà văn hóa', status: 'scheduled' },
    { id: 12, startsAt: '2026-04-12T02:00:00.000Z', topic: 'Việc làm', venue: 'UBND phường', status: 'moved' },
    { id: 13, startsAt: '2026-05-09T01:00:00.000Z', topic: 'Sức khỏe', venue: 'Nhà văn hóa', status: 'scheduled' },
  ],
};
export const closed: ClubView = { ...open, id: 'bau-sen', name: 'CLB Bàu Sen', commune: 'Phường Bàu Sen', requiresInvite: true, next: [] };
export const world = (over: Partial<ClubsView> = {}): ClubsView => ({ clubs: [open, closed], mine: [], assignments: [], ...over });
export const member = (clubId = 'xuan-tan') => ({ clubId, role: 'member' as const, offsets: [1440, 120], remindersOn: true });
export const ready = (): FlowState => ({ ...newState(NOW), flow: 'menu', step: 'main', locale: 'vi', consentScreening: true });
