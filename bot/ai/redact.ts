// What leaves the process for an AI service: the one message, with what could name or reach a
// person replaced by a tag. Phone numbers and any run of 6+ digits (ids, bank and ID-card
// numbers), emails, links, club invite and link codes, and a name introduced as one ("tôi tên
// là …", "I'm …").

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const URL = /\b(?:https?:\/\/|www\.)\S+|\b[\p{L}\p{N}-]+\.(?:com|vn|net|org|me|io|info|biz|xyz)(?:\/\S*)?/giu;
/** Digits with spaces, dots, dashes or brackets between them: 6 or more digits in all. */
const DIGITS = /\+?\(?\d(?:[\s.\-()]*\d){5,}/g;
/** An invite or link code (flows/clubs/codes.ts) inside a sentence: 8 or 9 letters and digits,
 * both kinds, maybe in groups ("K7P-M2Q-XW4"); a one-time code never leaves the process. */
const CODE = /\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])(?:[A-Za-z0-9]{3}-){2}[A-Za-z0-9]{2,3}\b|\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{8,9}\b/g;
/** After these words comes a name: up to four words, until punctuation or a small word. */
const NAME_INTRO =
  /(tôi tên là|tôi tên|tên tôi là|tên tôi|mình tên là|mình tên|tên mình là|em tên là|em tên|tên em là|anh tên là|chị tên là|tao tên là|con tên là|toi ten la|ten toi la|minh ten la|ten minh la|em ten la|my name is|my name's|i am called|call me|i'm|im|i am)\s+((?:[\p{L}'’-]+\s*){1,4})/giu;
/** Words that end a name ("I'm Lan and…", "tôi tên Lan, 25 tuổi"). */
const NOT_NAME = new Set(
  'and but so or i a an the very so not going feeling scared afraid tired worried sad ok okay fine here from in at on with và nhưng thì mà là ở năm tuổi đang rất bị muốn không'.split(' '),
);

function redactName(m: string, intro: string, rest: string): string {
  const ws = rest.trim().split(/\s+/);
  const trailing = rest.match(/\s*$/)?.[0] ?? '';
  const bare = (w: string) => w.toLowerCase().replace(/[^\p{L}]/gu, '');
  // "I'm scared" is not a name: a name starts with a word that is not a common one, and goes
  // on while its words start with a capital ("Nguyễn Văn An").
  if (!ws[0] || NOT_NAME.has(bare(ws[0]))) return m;
  let n = 1;
  while (n < ws.length && /^\p{Lu}/u.test(ws[n]!)) n++;
  const after = ws.slice(n).join(' ');
  return `${intro} [name]${after ? ` ${after}` : ''}${trailing}`;
}

export function redact(text: string): string {
  return text
    .normalize('NFC')
    .replace(EMAIL, '[email]')
    .replace(URL, '[link]')
    .replace(CODE, '[code]')
    .replace(DIGITS, '[number]')
    .replace(NAME_INTRO, redactName)
    .trim();
}
