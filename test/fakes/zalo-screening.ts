// Walk the adult self-screening (WHO ASSIST) as a Zalo user would: age 18+, "yes" to the first
// substance class and "no" to the rest, weekly use, then "no"/never, until no screening answer is
// on offer (the result and its next steps). Which choices are on offer comes from the person's
// conversation row; how a choice is made (button payload or typed number) is the channel's.
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { assistAnswer } from '../support/assist-answer.ts';

export interface ZaloWalker {
  prisma: PrismaClient;
  subject: string;
  /** Make the choice with this id (1-based `number` in the offered list); returns the texts received. */
  choose(id: string, number: number): Promise<string[]>;
  /** Typed once mid-questionnaire: not an answer, so the question must come again. */
  typeAlong?: (() => Promise<string[]>) | undefined;
}

export async function offeredIds(prisma: PrismaClient, subject: string): Promise<string[]> {
  const row = await prisma.conversation.findUnique({ where: { subjectKey: subject } });
  const offered = (row?.data as { offered?: { id: string }[] } | undefined)?.offered ?? [];
  return offered.map((c) => c.id);
}

/** From the main menu (consent given): "menu.screening", then answers until the result. */
export async function walkAssistOnZalo(w: ZaloWalker): Promise<{ texts: string[]; finalOffered: string[]; taps: number }> {
  const texts: string[] = [];
  const choose = async (id: string) => {
    const offered = await offeredIds(w.prisma, w.subject);
    const n = offered.indexOf(id) + 1;
    if (n === 0) throw new Error(`choice ${id} not offered; offered: ${offered.join(', ')}`);
    texts.push(...(await w.choose(id, n)));
  };
  await choose('menu.screening');
  let saidYes = false;
  let typed = !w.typeAlong;
  for (let taps = 1; taps < 80; taps++) {
    const offered = await offeredIds(w.prisma, w.subject);
    const next = assistAnswer(offered, saidYes);
    if (!next) return { texts, finalOffered: offered, taps };
    if (!typed && saidYes) {
      typed = true;
      texts.push(...(await w.typeAlong!()));
      if ((await offeredIds(w.prisma, w.subject)).join() !== offered.join()) throw new Error('typed text was not answered by re-asking the question');
    }
    if (next === 'screen.yes') saidYes = true;
    await choose(next);
  }
  throw new Error('ASSIST did not reach a result within 80 answers');
}
