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

/** One Vietnamese syllable without marks: onset, vowels Vietnamese puts together, coda. */
const NUCLEUS = 'oai|oay|oeo|uay|uoi|uou|uya|uye|uyu|ieu|yeu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ya|ye|a|e|i|o|u|y';
const SYLLABLE = new RegExp(`^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?(${NUCLEUS})(ch|ng|nh|[cmnpt])?$`);
/** A syllable with a coda or two vowels: "me tha do ne" (methadone) has none, "khong muon" two. */
const FULL = new RegExp(`^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?((${NUCLEUS})(ch|ng|nh|[cmnpt])|[aeiouy]{2,3})$`);

/** Where the syllables of a run of letters start, or null when it does not split: the fewest
 * syllables, then closed ones ("muonchet" is "muon chet"), with an onset ("chimuon" is "chi
 * muon", not "chim uon"), not cut through a digraph ("khotho" is "kho tho", not "khot ho"). */
function syllables(f: string): number[] | null {
  // best[i]: the cost of f.slice(0, i); from[i]: where its last syllable starts.
  const best: number[] = [0];
  const from: number[] = [0];
  for (let i = 1; i <= f.length; i++) {
    best[i] = Infinity;
    for (let j = Math.max(0, i - 7); j <= i - 2; j++) {
      const piece = f.slice(j, i);
      if (!SYLLABLE.test(piece)) continue;
      const onset = !/^[aeiouy]/.test(piece);
      const digraph = j > 0 && /^(ch|gh|kh|ng|nh|ph|th|tr)$/.test(f.slice(j - 1, j + 1));
      const cost = best[j]! + 10 - (FULL.test(piece) ? 1 : 0) + (onset ? 0 : 2) + (digraph ? 2 : 0);
      if (cost < best[i]!) {
        best[i] = cost;
        from[i] = j;
      }
    }
  }
  if (!Number.isFinite(best[f.length]!)) return null;
  const cuts: number[] = [];
  for (let i = f.length; i > 0; i = from[i]!) cuts.unshift(from[i]!);
  return cuts;
}

/**
 * Words typed without spaces ("khongmuonsongnua", "quálieu"), split into syllables. Only for the
 * crisis check, as a second reading: a loanword ("methadone") splits too, into harmless pieces.
 * Words at the indexes in `keep` stay whole. Null when no word splits.
 */
export function splitRunTogether(t: Words, keep: ReadonlySet<number> = new Set()): Words | null {
  const marked: string[] = [];
  const folded: string[] = [];
  let any = false;
  t.folded.forEach((f, k) => {
    const m = t.marked[k]!;
    const cuts = !keep.has(k) && f.length >= 4 && /^[a-z]+$/.test(f) && m.length === f.length ? syllables(f) : null;
    const pieces = cuts?.map((c, n) => f.slice(c, cuts[n + 1] ?? f.length)) ?? [];
    // Loanwords split into open syllables; Vietnamese run together has closed ones.
    const full = pieces.filter((p) => FULL.test(p)).length;
    // Two or three open syllables with onsets ("khotho") are Vietnamese enough.
    const open = pieces.length <= 3 && pieces.every((p) => !/^[aeiouy]/.test(p));
    if (!cuts || cuts.length < 2 || (!open && (full === 0 || 3 * full < pieces.length))) {
      marked.push(m);
      folded.push(f);
      return;
    }
    any = true;
    cuts.forEach((c, n) => {
      const end = cuts[n + 1] ?? f.length;
      const piece = f.slice(c, end);
      const expansion = TEENCODE[piece];
      const typed = m.slice(c, end);
      if (expansion && typed === piece) for (const part of expansion.split(' ')) { marked.push(part); folded.push(part); }
      else {
        marked.push(typed);
        folded.push(piece);
      }
    });
  });
  return any ? { marked, folded } : null;
}
