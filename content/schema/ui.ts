// Schema of content/ui.yaml: the words of the start, menu, language, consent and privacy flows
// and the engine's generic answers. Every key is required in both languages.
import { z } from 'zod';
import { TextSchema } from './common.ts';

const keys = [
  'welcome',
  'chooseLanguage',
  'languageChanged',
  'privacyNotice',
  'consentQuestion',
  'consentAgree',
  'consentNotNow',
  'consentMore',
  'consentMoreText',
  'consentDeclined',
  'consentNeeded',
  'menuTitle',
  'menuScreening',
  'menuTreatment',
  'menuServices',
  'menuUrgent',
  'menuPrivacy',
  'menuLanguage',
  'backToMenu',
  'privacyWhatWeHold',
  'privacyNothingHeld',
  'privacyUnder16',
  'privacyHeldConsent',
  'privacyHeldPaused',
  'privacyHeldClubs',
  'privacyHeldVolunteer',
  'privacyErase',
  'privacyEraseConfirm',
  'privacyEraseYes',
  'privacyEraseNo',
  'privacyErased',
  'privacyEraseCancelled',
  'withdrawConsent',
  'consentWithdrawn',
  'unknownInput',
  'unsupported',
  'truncated',
  'paused',
  'nothingToStop',
  'resumeOffer',
  'resumeContinue',
  'resumeRestart',
  'resumeExpired',
  'followWelcome',
] as const;

export const schema = z.strictObject(Object.fromEntries(keys.map((k) => [k, TextSchema])) as {
  [K in (typeof keys)[number]]: typeof TextSchema;
});
export type UiContent = z.infer<typeof schema>;
