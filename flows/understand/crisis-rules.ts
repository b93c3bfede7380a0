// Crisis concepts beyond single phrases (the phrases live in content/emergency.yaml). Each rule is
// a concept with gaps (concepts.ts). Hard negatives are idioms masked before any rule runs
// ("mệt chết đi được", "chết cười"), and vetoes that cancel one concept near a context ("con mèo
// co giật", "game khó thở"). When in doubt a rule fires: a false alarm costs a message, a miss
// can cost a life. Tuned on test/data/crisis/dev.jsonl only.
import { type Pattern, pattern } from './concepts.ts';

export type Alarm = 'danger' | 'suicide' | 'help' | 'worry';

export interface Rule {
  alarm: Alarm;
  p: Pattern;
  /** Knowledge words ("quá liều", "OD"): in a question about them, the answer, not an alarm. */
  info?: boolean;
  /** The word right before the match must not be one of these ("không muốn chết"). */
  notAfter?: string[];
  /** Cancelled when one of these is within `near` words. */
  unless?: { p: Pattern[]; near: number };
}

const r = (alarm: Alarm, src: string, gap = 4, extra: Partial<Rule> = {}): Rule => ({ alarm, p: pattern(src, gap), ...extra });
const near = (near: number, ...src: string[]) => ({ p: src.map((s) => pattern(s, 2)), near });

// Slots used by several rules.
const INGEST = 'uong|nuot|tong|chich|tiem|an|nhai';
// Not "mấy" alone: "cho con uống mấy viên" asks how many.
const LOT = 'het|ca|nguyen|nua|nam|dong|may vi|may lo|may hop|chuc|nhieu|tat ca|sach';
const MEANS = '!vỉ|thuoc ngu|thuoc chuot|thuoc tru sau|thuoc diet co|thuoc an than|an than|seduxen|xanax|paracetamol|panadol|vien|thuoc|thuoc cua';
const BOX = 'lo|hop|chai|nam|tui|goi';
const MED = 'thuoc|thuoc ngu|an than|seduxen|vien|thuoc an than';
const POISON = 'thuoc chuot|thuoc tru sau|thuoc diet co|thuoc sau|xyanua|axit|nuoc tay|bleach';
const HIGH = 'phe|ngao|choi da|dap da|hut da|dung ke|choi ke|hit ke|ke xong|dung ma tuy|ma tuy xong|choi hang|dung hang|choi xong|hit xong|chich xong|dung xong|high|on ice|on meth|sau khi choi|sau khi chich|sau khi hit|sau khi dung';
/** Having just used: a sign after it is an overdose until shown otherwise. */
const USED = 'chich|hit|hut|dung|choi|uong|sau khi|xong|phe|ngao';
/** Someone the writer is looking at. */
const SOMEONE = 'no|ban|anh|chi|em|con|chong|vo|ong|ba|be|nguoi|thang|co|bo|me|xong|roi|dang|van';
/** What drug-induced psychosis looks like to a family. */
const PSYCH = 'la het|gao thet|theo doi|nghe tieng|nghe thay tieng|chay ra duong|coi do|coi het do|noi nham|mat kiem soat|hoang tuong|ao giac|dien loan|noi lam nham';
const HURT = 'dam|chem|giet|danh|dao|chay mau|dap pha|dap dau|bop co|doa giet|dot nha|khoa cua|nhot|cam keo|doa|doi nhay|nhay lau|nhay tu|nhay xuong|dot|stab|knife|bleeding|hit her|hit him|attack';
/** A wish or a plan: swallowing poison then is the suicide answer, not the overdose one. */
const PLAN = 'muon|mun|dinh|se|tinh|sap|toi nay|dem nay|mai|chuan bi|san sang|doa|doi';
/** A course of medicine finished as prescribed ("uống hết vỉ kháng sinh theo đơn"). */
const PRESCRIBED = 'theo don|theo toa|bac si ke|ke don|lieu trinh|het dot|moi ngay|ngay uong|tai kham|chua khoi|khong khoi|van chua khoi|van sot|van ho';
const ANIMAL = '!chó|con cho|cun|meo|con ga|con heo|cat|dog|puppy|kitten';

export const RULES: Rule[] = [
  // --- danger: swallowed a lot, poison, unresponsive, breathing, seizure, psychosis, violence ---
  r('danger', `${INGEST} + ${LOT} + ${MEANS}`, 4, { unless: near(6, PRESCRIBED) }),
  r('danger', `${INGEST} + ${LOT} + ${BOX} + ${MED}`, 4),
  r('danger', 'thuoc ngu|thuoc an than|vi thuoc|lo thuoc|hop thuoc + uong|nuot + het|gan het|ca', 4, { unless: near(6, 'toi nay|se|dinh|sap|mai') }),
  r('danger', 'ruou|bia|methadone|heroin + thuoc ngu|an than|xanax|seduxen + goi|lay|danh thuc + khong|chang', 6),
  r('danger', `${HIGH} + soc|bi soc|lim|ngat|xiu`, 3),
  r('danger', `${INGEST} + #many + vien|vi|thuoc`, 2),
  r('danger', `${INGEST} + ${POISON}`, 4, { unless: near(3, PLAN) }),
  r('danger', 'took|swallowed|downed|took all|ate + whole|all|too many|entire|bottle|handful|bunch|lot of|all of + pills|meds|tablets|bottle|pill', 4),
  r('danger', 'goi|lay|keu|danh thuc|vo|goi mai|lay mai + khong|chang + day|tinh|tra loi|phan ung|nhuc nhich|cua quay', 4),
  r('danger', 'nam|ngu|guc + im|bat dong|li bi|guc|mai + khong|chang + tho|day|tinh|phan ung|cua quay|nhuc nhich', 4),
  r('danger', `ke|da|heroin|hero|ruou|thuoc|ma tuy|methadone|${USED}|${SOMEONE} + !không tỉnh|!chưa tỉnh`, 6, { unless: near(1, 'tien|phi|ngay') }),
  r('danger', `${SOMEONE}|${USED} + !không thở|!chẳng thở|!hết thở`, 3, { unless: near(2, 'cung|ban tho|tho cung|bai tho|lam tho|nha tho|tho phung') }),
  r('danger', '!hôn mê|!mê man|lim di|lim dan|nam lim|ngat lim|khong cu dong|chang cu dong'),
  r('danger', `${USED} + non|oi|mua|non oi + lien tuc|khong ngung|ra mau|mai khong dung`, 6),
  r('danger', `${USED} + lan ra|nga lan|guc xuong|nga guc|do guc|len con`, 6, { unless: near(2, 'ngu|cuoi|them|nghien|vat|ghen|gian') }),
  r('danger', 'kho khe|ngay kho kho', 1, { unless: near(4, 'hen|suyen|cam|ho|viem|nghet mui') }),
  r('danger', 'bat dong|li bi|khong cua quay|khong nhuc nhich|khong phan ung|khong tra loi|khong con phan ung'),
  r('danger', 'moi|mat|da|nguoi + !tím|tham tim|!tím tái|tim ngat|tai xanh|xanh', 2, { unless: near(1, 'lieu') }),
  r('danger', '!tím tái|tim ngat|tai xanh', 1, { unless: near(1, 'lieu') }),
  r('danger', 'tho + yeu|rat cham|cham|doc|khe|ngay|hoi|rit', 2, { unless: near(4, 'game|tran|phim|bai|khoi|bui|nghet mui|hen|suyen|chay bo|leo') }),
  r('danger', 'ngay to|ngung tho|tat tho|het tho|ngung dap|khong dap|tim ngung'),
  r('danger', 'nguoi|tay|chan + lanh ngat|lanh toat|lanh buot', 3),
  r('danger', 'sui bot|bot mep|tron nguoc|mat tron|giat giat|co quap|giat liên tuc|gong cung|do nguoi|bi do', 3, { unless: near(5, ANIMAL) }),
  r('danger', 'co giat|seizure|seizing', 2, { unless: near(5, ANIMAL) }),
  r('danger', 'chay mau|mat mau|bleeding + nhieu|khong cam|khong ngung|khong dung|a lot|heavily|will not stop', 2),
  r('danger', 'kim tiem|kim + van cam|con cam|cam tren', 3),
  r('danger', 'not|will not|barely|stopped + wake|waking|breathing|responding|moving', 2),
  r('danger', 'turning|turned|lips|face|is|went + blue|purple|gray|grey', 2),
  r('danger', 'oding|od ing|tweaking|snoring weird|gurgling|nodding off|nodding out'),
  r('danger', 'collapsed|is dying|she is dying|he is dying', 1, { unless: near(3, 'of|cancer|slowly|laughing|shop|building|house|roof|market') }),
  r('danger', 'unresponsive|unconscious|passed out|overdosing|overdosed|od d|ods|foaming|foam at the mouth|took too much|taken too much|took too many|had too much|did too much'),
  // "cà phê" is coffee. Signs of psychosis are also what people ask about ("ngáo đá có bị hoang
  // tưởng không"): answered as a question when asked, an alarm when told.
  r('danger', `${HIGH} + ${HURT}`, 8, { notAfter: ['ca'] }),
  r('danger', `${HIGH} + ${PSYCH}`, 8, { notAfter: ['ca'], info: true }),
  r('danger', `${HURT} + ${HIGH}`, 3),
  r('danger', 'nghe|nghe thay|co + tieng|giong + nguoi|noi + trong tuong|bao giet|doi giet|duoi giet|theo doi', 6),
  r('danger', 'nguoi trong tuong|trong tuong|duoi giet|doi giet|bao giet|giet nguoi|giet ca nha|giet het'),
  r('danger', 'people|voices + in the walls|telling me|after me', 4),
  r('danger', 'dau nguc|tuc nguc|tim dap nhanh|tim dap loan|tim dap thinh thich|dap thinh thich|sap ngat|ngat|xiu', 2, {
    unless: near(6, 'crush|gap|met xiu|nang|choi game|game|mot xiu|xiu luon|gym|tap the duc|tap ta|chay bo'),
  }),
  r('danger', 'chest + hurts|pain|tight|racing|pounding|heart racing', 3),
  r('danger', 'tu vong|chet roi|sap chet|chet mat|chet den noi', 1, { unless: near(4, 'cay|ca|con ca|xuong rong|may|dien thoai|pin|quen|tre|xe|ong|ba|nam ngoai') }),
  // Knowledge words: alarms, unless asked about (see crisis-assess.ts).
  r('danger', 'qua lieu|od|overdose|soc thuoc|soc ma tuy|ngao da|loan than|ao giac|hoang tuong|naloxone|narcan', 1, { info: true }),
  r('danger', 'ruou|bia|alcohol + methadone|thuoc ngu|heroin|xanax|ma tuy|ke|thuoc lac|meth|cocaine', 3, { info: true }),
  r('danger', 'methadone|thuoc ngu|heroin|xanax|ma tuy|ke|thuoc lac|meth|cocaine + ruou|bia|alcohol', 3, { info: true }),

  // --- suicide: wishes, plans, means, self-harm, farewells, slang ---
  r('suicide', 'muon|mun|dinh|se|tinh|thich|uoc|chi muon|chi mong + chet|duoc chet|!tự tử|!tự sát|bien mat|ket thuc|roi khoi the gioi|khong ton tai|di theo|di xa mai mai|treo co|nhay', 3, {
    notAfter: ['khong', 'chang', 'dung', 'chua'],
    unless: near(1, 'cai tu tu|giam tu tu|bo tu tu|ngung tu tu|dung tu tu|thoi tu tu|tu tu giam|tu tu bo|tu tu cai|tu tu thoi|tu tu ngung|tu tu dung|tu tu lai'),
  }),
  r('suicide', 'song + lam gi|de lam gi|lam chi|co y nghia gi|khong bang chet|chang con y nghia|khong con y nghia|het y nghia|vo nghia', 3),
  r('suicide', 'khong song nua|chang song nua|khong song them|khong muon song them|khong con muon song|chang con muon song|het muon song|song khong noi|song chang noi|nghi quan|quyen sinh|dam dau xuong|gieo minh|khong con lam phien ai|khong lam phien ai nua'),
  r('suicide', 'cham dut|ket thuc + cuoc doi|cuoc song|su song|tat ca|moi thu|doi minh', 2),
  r('suicide', 'song chan + lam|qua|roi|that', 1),
  r('suicide', 'toi|minh|em|tao|tui|con + di chet|chet quach|chet cho', 2),
  r('suicide', 'khong|chang|het|ko con|khong con + muon song|thiet song|ly do|li do + song|de song', 3),
  r('suicide', 'chan song|khong thiet song|vo nghia chi muon|het cach roi'),
  r('suicide', 'bien mat|di xa|ra di|ngu + mai mai|vinh vien|khong bao gio day|khong bao gio tinh', 4),
  r('suicide', 'khong muon + tinh day|thuc day|ton tai|o day', 2),
  r('suicide', 'uoc gi + khong ton tai|chua tung sinh ra|bien mat', 4),
  r('suicide', 'nhan tin|nhan|gui|de lai|viet + tam biet|vinh biet|tu biet|loi cuoi|thu tuyet menh', 3),
  r('suicide', 'thu tuyet menh|thu de lai|tin nhan cuoi|loi cuoi|tam biet moi nguoi|tam biet tat ca|vinh biet'),
  r('suicide', 'tich|gom|de danh|tru + thuoc|du thuoc', 3),
  r('suicide', 'nhay lau|nhay cau|nhay song|nhay tu|nhay xuong|lao xuong|lao dau|tren cau|san thuong|tang thuong|mai nha', 1, {
    unless: near(3, 'phim|nhay day|cau thu|danh dau|nhay len'),
  }),
  r('suicide', `${PLAN} + uong|nuot|an + ${POISON}|thuoc ngu|thuoc an than`, 3),
  r('suicide', `mua|co san|de san|chuan bi|kiem duoc + ${POISON}|thuoc ngu + ${PLAN}|uong|nuot|roi`, 5, { unless: near(4, 'chuot an|diet chuot|nhieu chuot|con chuot|cho chuot|o dau|loai nao') }),
  r('suicide', 'bien mat|chet di|khong con|ra di|khong ton tai + thi|di thi|cho + tot hon|hon|nhe nhom|nhe no', 3),
  r('suicide', 'toi|minh|em|con|tao + la|chi la + ganh nang|cuc no|do thua', 1),
  r('suicide', 'treo co|thong long|chuan bi day|dot than|xe can|cho xe can|lao ra duong'),
  r('suicide', 'than + dot', 3),
  r('suicide', 'cat|rach|cua|khia|di|dot + tay|co tay|dui|canh tay|vao tay|vao dui|vao nguoi', 2, { unless: near(2, 'ao|tay ao|mong|mong tay') }),
  r('suicide', 'tu|hay + lam dau|lam hai|hai + minh|ban than|chinh minh', 3),
  r('suicide', 'tu lam dau|tu lam hai|tu hai|tu hanh|lam dau minh|lam dau ban than'),
  r('suicide', 'cach + chet|tu tu|tu sat|ket thuc', 3),
  r('suicide', 'bao nhieu|may + vien|lieu + thi chet|la chet|de chet|moi chet|cho chet', 4),
  r('suicide', 'cho chet|cho xong|de chet|xong doi|cho xong doi|la xong|cho nhe nguoi|cho roi|cho nhe no', 1, {
    unless: near(3, 'tai sao|vi sao|rat de|co de|viec|bai|lam|an|com|an com|viec nha|don|xong viec|bai tap|deadline|mua|tra no'),
  }),
  r('suicide', 'chet quach|tha chet|chet con hon|chet di|sao minh khong chet|chet la het|chet la xong', 1, {
    notAfter: ['dep', 'met', 'nong', 'doi', 'them', 'nho', 'cuoi', 'ngua', 'dau'],
  }),
  r('suicide', 'ganh nang|nhe nhom|chet di + moi nguoi|chang ai|khong ai + buon|can minh|nho|nhe', 6),
  r('suicide', 'neu|khi + minh|toi|em|tao + chet|khong con', 2),
  r('suicide', 'khong con nua|khong con tren doi|mai nay minh khong con'),
  r('suicide', 'chang ai|khong ai + can minh|can toi|can em|thuong minh', 2),
  r('suicide', 'kms|kys|unalive|unaliving|suicidal|sewerslide|end it|end my life|end things|end myself|ending it|ending my life|ending everything|sh again|self harm|self harming|selfharm'),
  r('suicide', 'kill|killing|hurt|hurting|cut|cutting + myself|me self', 2),
  r('suicide', 'done with|tired of|sick of + life|living|it all', 1),
  r('suicide', 'been|started|keep|am + cutting', 2),
  r('suicide', 'want|wanna|going|gonna|plan|ready|will + to die|die|jump|to jump|end it|disappear', 3),
  r('suicide', 'can not go on|cant go on|wish i was dead|wish i were dead|would miss me|my goodbye|saying goodbye|pills to die|pills to end|not worth living|hate my life|better without me|better off without|stop forever|want it to end|want it all to end'),
  r('suicide', 'do not|dont + want to + be here|live|exist|wake up', 2),
  r('suicide', 'better off + without me|dead', 2),
  r('suicide', 'no point|no reason + living|to live|in living', 2),
  r('suicide', 'jump off|off the bridge|off the roof'),
  r('suicide', 'nghi|nghi den|nghi toi|y dinh + cai chet|chet|tu tu|tu sat|nhay lau', 4),

  // --- help: pleas ---
  r('help', '!cứu|cuu', 1, { unless: near(3, 'so cuu|net|bai|bai tap|may|game|do an|luan van|con cuu|nghien cuu|cap cuu o dau|cuu tro|cuu tinh') }),
  r('help', 'help|sos|please help|need help|help me|heelp|helpp'),
  r('help', 'cap cuu|khan cap|xe cuu thuong|cuu thuong|cuu ho|115', 1, { unless: near(2, 'so|cac so|number|numbers|hotline|la bao nhieu|o dau') }),
  r('help', 'giup|lam on giup|giup do + voi|gap|ngay|nhanh', 4),
  r('help', 'mau|nhanh|gap + giup|cuu + toi|em|minh|voi|di', 1),
  r('help', 'lam on + giup|cuu', 1, { unless: near(4, 'tim|xem|hoi|cho biet|chi|tra loi|dang ky|giai thich|ve') }),

  // --- worry: distress without danger ---
  r('worry', 'toi|minh|em|anh|chi|thay|dang + !sợ + qua|lam', 1),
  r('worry', '!sợ + qua|lam + troi|di|roi|oi|the|that', 0),
  r('worry', 'hoang|lo|run|bat an|run ray|hoang so|so hai + qua|lam|that su|ghe|chet khiep|ca nguoi', 1, { unless: near(2, 'ma|gian|chuot|thi|bai thi|mai thi|thi cu|tiem|dau|do') }),
  r('worry', 'chiu het noi|khong chiu noi|het chiu noi|khong chiu duoc nua|chiu khong noi|sap guc|guc nga|kiet suc'),
  r('worry', 'met moi + voi cuoc song|cuoc doi|song|tat ca', 3),
  r('worry', 'vo dung|ghet ban than|ghet minh|khong ai hieu|trong rong|tram cam|khoc ca dem|khoc suot|nang ne|that bai|vo vong'),
  r('worry', 'buon|co don + qua|lam|chan|khong muon', 2, { unless: near(1, 'ngu|cuoi|non|ban') }),
  r('worry', 'bi + duoi|de doa|doa|danh doi no|doi no|ep dung|ep', 3),
  r('worry', 'them + qua|lam|khong chiu|chiu khong', 2, { unless: near(3, 'tra sua|thuoc la|an|do an|com|bia|ngu|ca phe') }),
  r('worry', 'tai nghien|so tai|len con them|con them|lai dung lai|dung lai roi|relapse|relapsed', 1, { unless: near(3, 'khong|chua|duoc') }),
  r('worry', 'mat ngu|roi tung|roi loan|khong ngu duoc', 1, { unless: near(3, 'methadone|vi|bi mat ngu|kinh nien|thuoc gi') }),
  r('worry', 'losing it|losing my mind|panic attack|freaking|hopeless|cant cope|can not cope|falling apart|feel terrible|feel awful|worthless|so alone|all alone|lost and alone|so lonely|feel alone|feel lonely'),
];

/** Where people read or watch of a death, and what they read of; also what befalls a pet. */
/** A pet named beyond doubt: not "cho" (give), not "cat" (cắt, cut). */
const PET = 'con cho|cho nha|!chú chó|cun|con meo|be meo|!mèo|con ga|con heo|con ca|dog|puppy|kitten|my cat|the cat|our cat';
const TOLD = 'doc bao|xem bao|bao dua tin|bao dua|tren bao|bao chi|bo phim|phim|tin tuc|thoi su|nghe tin|xem tin|doc tin|tren mang|nguoi noi tieng|news|game|trong game';
const TOLD_OF = 'tu tu|tu sat|nhay cau|nhay lau|qua lieu|soc thuoc|ngao da|tu vong|chem nguoi|chet|sui bot|bot mep|khong tho|bat tinh|ngat|tim tai|khong day';

/**
 * Told of in the news, a film or a game, or befalling a pet: masked like idioms, but only when the
 * writer says no wish of their own ("đọc báo xong em cũng muốn chết" keeps every word).
 */
export const TOLD_MASKS: Pattern[] = [
  pattern(`${TOLD} + ${TOLD_OF}`, 6),
  pattern(`${TOLD} + ${TOLD_OF} + ${TOLD_OF}`, 6),
  pattern(`${PET} + ${TOLD_OF}|thuoc chuot|non|oi|khong an|seizure|not breathing`, 5),
];
export const OWN_WISH = pattern('muon|mun|dinh|se|tinh|thich|want|wanna|going to + chet|tu tu|tu sat|nhay|die|kill|ket thuc|di theo', 4);

/**
 * Wishes never to wake ("ước gì mình không tỉnh dậy nữa"): suicide, and their words are then
 * masked, so the danger of a person who cannot be woken does not read them.
 */
export const WISHES: Pattern[] = [
  pattern('uoc gi|uoc|chi mong|mong|chi muon|muon|wish + khong tinh day|khong thuc day|khong tinh lai|khong bao gio tinh|ngu luon|never wake up|not wake up|not to wake up', 3),
];

/**
 * Idioms masked before the rules run: their words count for nothing. "X chết đi được" /
 * "X muốn chết" with an adjective is "terribly X" ("mệt muốn chết" = dead tired).
 */
const ADJ = 'met|nong|doi|lanh|dep|them|nho|cuoi|buon cuoi|ngua|dau|ngai|xau ho|hoi hop|ghen|buon ngu|ret|chan|met xiu|vui|suong|tuc|buc|cay|ngon|thom|ghet|sot ruot|tiec|khat|que|on|ghien|say|xot|moi';
export const MASKS: Pattern[] = [
  pattern(`${ADJ} + muon chet|chet di duoc|chet mat|chet luon|chet|muon xiu|xiu`, 1),
  pattern('chet di duoc|mui nghet|chet cuoi|cuoi chet|chet that|chet do|chet roi quen|chet roi trat|chet may|chet dien|dead tired|dying to|killing me|killing it|i am dead|im dead|kill the|deadline|died|phone died', 1),
  pattern('!chết + roi|that|do|dở|thật + quen|tre|tré|mat|tien|vi', 3),
  // Ending a contract, a relationship, a job or a treatment is not ending a life.
  pattern('ket thuc + hop dong|thue nha|moi quan he|quan he|cong viec|du an|dieu tri|bai kiem tra|bai test|buoi hop|cuoc hop|cuoc goi|ca lam|hoc ky|nam hoc', 1),
  pattern('cat tay ao|cat toc|cat mong|rach bao|nhay day|cau thu|cau long bien|tich diem|tich tien|chem gio|danh bai|ba cai|thu tinh|treo co ao|ngat ngay'),
  // Fears of small things: "sợ gián lắm", "sợ ma".
  pattern('so + ma|gian|chuot|ran|nhen|sau|do cao|bong toi|nha si|tiem|kim tiem', 1),
  // Pets have seizures too; games and smog take one's breath away.
  pattern(`${ANIMAL} + co giat|seizure|giat`, 5),
  pattern('game|tran|tran dau|phim|bai thi|khoi|bui|nghet mui|mui nghet|hen|suyen|hen suyen + kho tho', 5),
  pattern('kho tho + vi khoi|vi bui|vi nghet|do hen|do suyen', 2),
  // A cold or damp weather takes one's breath too.
  pattern('kho tho + nom|troi nom|nghet mui|so mui|cam cum|bi cam|bi cum|viem hong|viem xoang|di ung', 5),
  pattern('nom|troi nom|nghet mui|so mui|cam cum|bi cam|bi cum|viem hong|viem xoang|di ung + kho tho', 5),
];
