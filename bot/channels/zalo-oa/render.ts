// OutboundMessage → OA consultation message bodies. Choices become `oa.query.hide` buttons whose
// payload "#c:<id>" comes back as text and maps to the choice; when they do not fit (more than
// five buttons, a long title) they become a numbered list, which the engine also understands.
// Text is NFC-normalised, then split at 2000 characters; buttons go on the last part.
import { CHOICE_PAYLOAD_PREFIX, type OutboundMessage } from '../types.ts';
import { choiceList, isPhone, isWebUrl, linkLine, textParts } from '../text.ts';

export const MAX_TEXT_LENGTH = 2000;
/** Zalo's button limits are unconfirmed: stay well inside what is seen to work. */
export const MAX_BUTTONS = 5;
export const MAX_TITLE_LENGTH = 99;

export type OaButton =
  | { title: string; type: 'oa.query.hide'; payload: string }
  | { title: string; type: 'oa.open.url'; payload: { url: string } }
  | { title: string; type: 'oa.open.phone'; payload: { phone_code: string } };

export interface OaMessageBody {
  text: string;
  attachment?: { type: 'template'; payload: { buttons: OaButton[] } };
}

export function renderOa(message: OutboundMessage): OaMessageBody[] {
  const choices = (message.choices ?? []).flat();
  const links = message.links ?? [];
  const webLinks = links.filter((l) => isWebUrl(l.url));
  // Emergency numbers as call buttons: one tap dials. They stay buttons even when the choices
  // must become a numbered list.
  const phoneButtons = links
    .filter((l) => isPhone(l.url))
    .map((l): OaButton => ({ title: l.label, type: 'oa.open.phone', payload: { phone_code: l.url.slice(4) } }));
  const all: OaButton[] = [
    ...phoneButtons,
    ...choices.map((c): OaButton => ({ title: c.label, type: 'oa.query.hide', payload: `${CHOICE_PAYLOAD_PREFIX}${c.id}` })),
    ...webLinks.map((l): OaButton => ({ title: l.label, type: 'oa.open.url', payload: { url: l.url } })),
  ];
  const fits = (bs: OaButton[]) => bs.length <= MAX_BUTTONS && bs.every((b) => b.title.length > 0 && b.title.length <= MAX_TITLE_LENGTH);
  const fit = fits(all);
  const phonesFit = !fit && phoneButtons.length > 0 && fits(phoneButtons);
  const buttons = fit ? all : phonesFit ? phoneButtons : [];

  const blocks = [message.text];
  if (!fit && choices.length) blocks.push(choiceList(choices, message.numbersAreAnswers));
  const lines = links.filter((l) => !(fit && isWebUrl(l.url)) && !((fit || phonesFit) && isPhone(l.url))).map(linkLine);
  if (lines.length) blocks.push(lines.join('\n'));
  const parts = textParts(blocks, MAX_TEXT_LENGTH);
  return parts.map((text, i) =>
    i === parts.length - 1 && buttons.length ? { text, attachment: { type: 'template', payload: { buttons } } } : { text },
  );
}
