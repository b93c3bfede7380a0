// Text as people type it → words to match on. Each word is kept twice, aligned: as typed (NFC,
// lower case, marks kept: the homograph guards need "từ từ" apart from "tự tử") and folded (no
// marks, đ → d, teencode expanded). Format characters (zero-width space, joiners, soft hyphen)
// are dropped first, so "t\u200bự t\u200bử" reads "tự tử"; letters typed over and over
// ("cứuuuu") count once.

export interface Words {
  /** As typed, NFC and lower case; for an expanded teencode word, its folded expansion. */
  marked: string[];
  /** Without marks, teencode expanded: what concept rules match on. */
  folded: string[];
}

/** Unicode format characters (Cf: ZWSP, ZWJ, ZWNJ, soft hyphen, BOM, word joiner…) and the
 * combining grapheme joiner: invisible, and typed only to break words apart. */
const INVISIBLE = /\p{Cf}|\u034f|\u115f|\u1160|\u3164|\uffa0/gu;

export function foldWord(w: string): string {
  return w.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase();
}

/**
 * Chat spellings, by folded form. Only words whose expansion is near certain in a message to
 * this bot; "k", "j", "r" alone are letters nobody types for themselves.
 */
const TEENCODE: Record<string, string> = {
  ko: 'khong', k: 'khong', kh: 'khong', kg: 'khong', khg: 'khong', hok: 'khong', hong: 'khong', hem: 'khong',
  hk: 'khong', khum: 'khong', kp: 'khong phai', j: 'gi', ji: 'gi', z: 'vay', zay: 'vay', dzay: 'vay',
  dc: 'duoc', dk: 'duoc', r: 'roi', rui: 'roi', oy: 'roi', mik: 'minh', mk: 'minh', mh: 'minh', mjk: 'minh',
  mjnh: 'minh', ng: 'nguoi', ngta: 'nguoi ta', vs: 'voi', bt: 'biet', bik: 'biet', bjk: 'biet', bn: 'ban',
  e: 'em', t: 'toi', tui: 'toi', tao: 'toi', mun: 'muon', mn: 'moi nguoi', cx: 'cung', cg: 'cung', wa: 'qua',
  qa: 'qua', ntn: 'nhu the nao', lm: 'lam', ms: 'moi', nx: 'nua', dag: 'dang', dg: 'dang', thik: 'thich',
  trc: 'truoc', bh: 'bay gio', bjo: 'bay gio', ck: 'chong', vk: 'vo', chit: 'chet', chek: 'chet', chjt: 'chet',
  nhiu: 'nhieu', nhju: 'nhieu', iu: 'yeu', thui: 'thoi', sdt: 'so dien thoai', kb: 'khong biet',
  kbt: 'khong biet', gium: 'giup', jup: 'giup', zup: 'giup', jum: 'giup', lun: 'luon', wen: 'quen',
  hnay: 'hom nay', tnay: 'toi nay', ui: 'oi', ak: 'a', ah: 'a', hic: 'hic', kon: 'con',
  // English chat spellings (apostrophes are joined first: "can't" is "cant").
  u: 'you', ur: 'your', ima: 'i am going to', gonna: 'going to', wanna: 'want to', idk: 'i do not know',
  dont: 'do not', cant: 'can not', cannot: 'can not', wont: 'will not', didnt: 'did not', isnt: 'is not',
  ive: 'i have', pls: 'please', plz: 'please', rn: 'right now', ppl: 'people',
};

/** Runs of one letter typed three or more times count once ("cứuuuu", "heeelp"); twice stays
 * (English "too", "need"). */
function collapseRepeats(s: string): string {
  // "cuuuu" is "cuu" (cứu typed bare): a run of bare u keeps the pair that spells "ưu".
  return s.replace(/(?<![ưứừửữự])u{3,}/g, 'uu').replace(/(\p{L})\1{2,}/gu, '$1');
}

export function words(text: string): Words {
  const marked: string[] = [];
  const folded: string[] = [];
  const clean = collapseRepeats(text.normalize('NFC').replace(INVISIBLE, '').toLowerCase())
    // "won't", "i'm", "can’t": the apostrophe joins, it does not split ("od'd" does split).
    .replace(/(\p{L})['’](t|m|re|ve|ll|s)\b/gu, '$1$2');
  for (const w of clean.split(/[^\p{L}\p{M}\p{N}]+/u)) {
    if (!w) continue;
    const f = foldWord(w);
    const expansion = TEENCODE[f];
    // A word typed with marks is itself ("tủ" is not teencode); only bare spellings expand.
    if (expansion && w === f) {
      for (const part of expansion.split(' ')) {
        marked.push(part);
        folded.push(part);
      }
      continue;
    }
    // Digits glued to letters in chat ("0" for "không" aside) are left as typed.
    marked.push(w);
    folded.push(f);
  }
  return { marked, folded };
}
