// Probes: families of messages built from templates (who × what was used × what is seen), each
// typed with and without marks, to see whether a concept holds beyond the sentences it was
// written for. Written from the categories of the task (overdose signs, psychosis, suicide said
// directly and indirectly, pleas, worry, idioms, pets, news, colds, ice and football, questions),
// never from a held-out message. `npm run eval probes` lists every miss.
import type { Content } from '../../content/types.ts';
import { readCrisisText } from '../../flows/crisis.ts';

type Want = 'danger' | 'suicide' | 'alarm' | 'none' | 'question';
interface Family {
  name: string;
  want: Want;
  texts: string[];
}

const bare = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
const cross = (...parts: string[][]): string[] =>
  parts.reduce<string[]>((acc, p) => acc.flatMap((a) => p.map((b) => (a ? `${a} ${b}` : b))), ['']);

const glue = (s: string) => s.replace(/ /g, '');
const WHO = ['nó', 'bạn tôi', 'anh ấy', 'con tôi', 'chồng em', 'thằng bạn'];
const USED = ['chích xong', 'hút đá xong', 'dùng ke xong', 'uống thuốc xong', 'sau khi sử dụng', 'vừa sử dụng hàng'];
const SIGNS = ['không thở', 'thở yếu', 'tím tái', 'sùi bọt mép', 'co giật', 'bất tỉnh', 'ngất', 'gọi không dậy', 'hôn mê', 'lịm đi', 'mắt trợn ngược', 'nằm bất động', 'không phản ứng gì', 'người lạnh ngắt', 'đau ngực', 'khó thở', 'không tỉnh', 'không cử động'];
const HIGH = ['ngáo đá', 'phê đá', 'đập đá xong', 'chơi ke xong', 'dùng ma túy xong'];
const ACTS = ['cầm dao', 'đòi giết mẹ', 'đánh vợ', 'đập phá đồ', 'la hét', 'nói có người theo dõi', 'nghe tiếng người nói', 'chạy ra đường', 'đòi đốt nhà', 'mất kiểm soát', 'khóa cửa nhốt cả nhà'];
const SELF = ['tôi', 'em', 'mình', 'tao'];
const WISH = ['không muốn sống nữa', 'muốn chết', 'muốn tự tử', 'chán sống rồi', 'muốn biến mất mãi mãi', 'muốn kết thúc tất cả', 'không thiết sống', 'sống không nổi nữa', 'chỉ muốn ngủ mãi không dậy', 'đang nghĩ quẩn', 'định nhảy cầu', 'định treo cổ', 'lại cắt tay', 'hay rạch tay', 'tự làm đau mình', 'muốn chấm dứt cuộc đời', 'viết thư tuyệt mệnh rồi', 'muốn nhảy lầu', 'không còn muốn sống', 'là gánh nặng của cả nhà'];
const ADJ = ['mệt', 'nóng', 'đói', 'lạnh', 'buồn cười', 'sướng', 'tiếc', 'khát', 'xấu hổ', 'quê', 'bực', 'ồn', 'nhớ', 'thèm', 'ghiền', 'ngứa', 'chán', 'ngại', 'tức', 'vui', 'cay', 'buồn ngủ'];
const IDIOM = ['chết đi được', 'muốn chết', 'chết mất', 'chết luôn'];
const PETS = ['con chó nhà tôi', 'con mèo', 'con cún nhà em', 'con gà'];
const PET_SIGNS = ['bị co giật', 'sùi bọt mép', 'không thở', 'bất tỉnh rồi', 'chết rồi', 'ăn phải thuốc chuột'];
const SIGN_Q = ['co giật', 'tím tái', 'bất tỉnh', 'thở chậm', 'sùi bọt mép', 'ngáo đá', 'sốc thuốc', 'quá liều'];

const FAMILIES: Family[] = [
  { name: 'overdose signs after use', want: 'danger', texts: cross(WHO, USED, SIGNS) },
  { name: 'psychosis and violence', want: 'danger', texts: cross(WHO, HIGH, ACTS) },
  { name: 'suicide, first person', want: 'suicide', texts: cross(SELF, WISH) },
  // Typed without spaces: "khongmuonsongnua", "ban toi khongtho".
  { name: 'run together', want: 'alarm', texts: [...cross(SELF, WISH.map(glue)), ...cross(WHO, USED, SIGNS.map(glue))] },
  {
    name: 'English emergencies',
    want: 'danger',
    texts: ['my friend overdosed', "she isn't breathing", "my brother won't wake up", 'he turned blue', 'he is having a seizure', 'she took a bunch of pills', 'he is foaming at the mouth', 'he collapsed after shooting up', 'his lips are blue', "he's ODing", 'he took fentanyl and is not moving', 'my friend is tweaking and has a knife', 'i took too many pills'],
  },
  {
    name: 'English suicide',
    want: 'suicide',
    texts: ['i want to end my life', "i can't go on anymore", 'i am going to kill myself', 'i wish i was dead', 'nobody would miss me', 'this is my goodbye', "i've been cutting again", "life isn't worth living", 'everyone would be better without me', 'i want to die'],
  },
  {
    name: 'pleas and worry',
    want: 'alarm',
    texts: ['cứu với', 'cứu em với', 'ai cứu tôi với', 'giúp tôi với', 'làm ơn giúp', 'khẩn cấp', 'help', 'sos', 'mau giúp tôi', 'em sợ lắm', 'tôi hoảng quá', 'em bất an quá', 'mình trầm cảm', 'không chịu nổi nữa rồi', 'thèm thuốc quá không chịu nổi', 'hoảng loạn', 'i feel hopeless', 'i cant cope'],
  },
  { name: 'idioms of "to death"', want: 'none', texts: cross(ADJ, IDIOM) },
  { name: 'pets', want: 'none', texts: cross(PETS, PET_SIGNS) },
  {
    name: 'news, games, colds, ice, football, methadone',
    want: 'none',
    texts: [
      ...cross(['báo đưa tin', 'xem tin'], ['ngáo đá chém người', 'thanh niên quá liều tử vong', 'cô gái nhảy cầu tự tử', 'ca sĩ sốc thuốc']),
      ...cross(['thuốc cảm', 'thuốc ho', 'vitamin C', 'kháng sinh', 'thuốc hạ sốt'], ['uống mấy viên một lần', 'uống 2 viên được không', 'uống hết vỉ mà chưa khỏi']),
      ...cross(['cho mình thêm', 'bao nhiêu tiền'], ['trà đá', 'nước đá', 'cà phê đá', 'đá viên']),
      ...cross(['chiều nay', 'hôm qua'], ['đá bóng', 'đá banh', 'đá phạt', 'đá cầu']),
      ...cross(['methadone'], ['có hại không', 'uống lúc mấy giờ', 'quên uống một hôm thì sao', 'có làm mất ngủ không']),
      ...cross(['điện thoại'], ['hết pin rồi', 'chết máy', 'đơ rồi']),
      'chơi game bị giết hoài',
      'treo cổ áo lên móc',
      'hôm qua ngất ngây với phim này',
      'my phone is dead',
      'this traffic is killing me',
      'my cat had a seizure',
      'my grandma is dying of cancer',
    ],
  },
  {
    name: 'overdose asked about in general',
    want: 'question',
    texts: [
      ...cross(SIGN_Q, ['là dấu hiệu gì', 'có nguy hiểm không']),
      ...SIGN_Q.flatMap((g) => [`làm gì khi thấy người ${g}`, `sơ cứu người ${g} như thế nào`, `cách xử trí khi ${g}`]),
      ...cross(['heroin', 'methadone', 'ma túy đá', 'thuốc lắc'], ['quá liều có chết không', 'quá liều thì làm sao']),
      'naloxone dùng thế nào',
      'lỡ bị quá liều thì phải làm gì',
    ],
  },
];

export interface ProbeFigures {
  name: string;
  want: Want;
  hit: number;
  of: number;
  misses: { text: string; got: string }[];
}

function got(text: string, content: Content): string {
  const r = readCrisisText(text, content);
  return r.alarm ?? (r.question ? 'question' : 'none');
}

function right(want: Want, label: string): boolean {
  if (want === 'alarm') return label !== 'none' && label !== 'question';
  // Danger outranks suicide: a suicide wish with a danger sign still gets the ambulance first.
  if (want === 'suicide') return label === 'suicide' || label === 'danger';
  return label === want;
}

export function measureProbes(content: Content): ProbeFigures[] {
  return FAMILIES.map(({ name, want, texts }) => {
    const f: ProbeFigures = { name, want, hit: 0, of: 0, misses: [] };
    for (const t of new Set(texts.flatMap((t) => [t, bare(t)]))) {
      const label = got(t, content);
      f.of++;
      if (right(want, label)) f.hit++;
      else f.misses.push({ text: t, got: label });
    }
    return f;
  });
}
