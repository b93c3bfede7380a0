// Walk the adult self-screening (WHO ASSIST) over Telegram by tapping the buttons the bot sent:
// age 18+, "yes" to the first substance class and "no" to the rest, weekly use, then "no"/never
// for the rest, until a keyboard without screening answers (the result's next steps) arrives.
import type { RecordedCall } from '../fakes/telegram-server.ts';
import { assistAnswer } from './assist-answer.ts';
import { choiceIds, type TelegramChat } from './telegram.ts';

export interface AssistWalk {
  /** Every message received during the walk, in order. */
  replies: RecordedCall[];
  /** The choice ids on the last keyboard (the next steps after the result). */
  finalChoices: string[];
  taps: number;
}

/** From the main menu (consent given): tap "menu.screening" and answer until the result.
 * `typeAlong` is also typed once mid-questionnaire (it is not an answer, so it is re-asked). */
export async function walkAssist(chat: TelegramChat, options: { typeAlong?: string } = {}): Promise<AssistWalk> {
  const replies: RecordedCall[] = [];
  let last = await chat.tap('menu.screening');
  replies.push(...last);
  let saidYes = false;
  let typed = options.typeAlong === undefined;
  for (let taps = 1; taps < 80; taps++) {
    const offered = choiceIds(last.filter((c) => choiceIds([c]).length > 0).slice(-1));
    const next = assistAnswer(offered, saidYes);
    if (!next) return { replies, finalChoices: offered, taps };
    if (!typed && saidYes) {
      typed = true;
      const reasked = await chat.say(options.typeAlong!);
      replies.push(...reasked);
      if (choiceIds(reasked.slice(-1)).join() !== offered.join()) throw new Error('typed text was not answered by re-asking the question');
    }
    if (next === 'screen.yes') saidYes = true;
    last = await chat.choose(last, next);
    replies.push(...last);
  }
  throw new Error('ASSIST did not reach a result within 80 taps');
}
