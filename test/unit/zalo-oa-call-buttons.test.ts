// Emergency numbers on Zalo OA: tel: links become oa.open.phone buttons (one tap dials), and stay
// buttons when the choices must become a numbered list.
import { describe, expect, it } from 'vitest';
import { renderOa } from '../../bot/channels/zalo-oa/render.ts';

const call = { label: '📞 115 · Cấp cứu y tế', url: 'tel:115' };

describe('call buttons', () => {
  it('a tel: link is a call button beside the choices', () => {
    const [body] = renderOa({ text: 'Gọi ngay', links: [call], choices: [[{ id: 'menu.main', label: 'Menu' }]] });
    expect(body?.attachment?.payload.buttons).toEqual([
      { title: call.label, type: 'oa.open.phone', payload: { phone_code: '115' } },
      { title: 'Menu', type: 'oa.query.hide', payload: '#c:menu.main' },
    ]);
    expect(body?.text).toBe('Gọi ngay');
  });

  it('with too many choices for buttons, the choices are numbered and the call stays a button', () => {
    const choices = [1, 2, 3, 4, 5].map((i) => [{ id: `c.${i}`, label: `Mục ${i}` }]);
    const [body] = renderOa({ text: 'Chọn', links: [call], choices });
    expect(body?.text).toContain('1. Mục 1');
    expect(body?.text).toContain('5. Mục 5');
    expect(body?.attachment?.payload.buttons).toEqual([{ title: call.label, type: 'oa.open.phone', payload: { phone_code: '115' } }]);
  });
});
