// Platform-neutral conversation types. Flows are pure: (state, input, ctx) → (state, messages,
// effects). Nothing here knows which platform it runs on or touches I/O.
import type { Content } from '../content/types.ts';
import type { ClubEffect, ClubsView } from './clubs/types.ts';
import type { ServicesView } from './services.ts';

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in every locale. Content files hold these; a missing locale is a load error. */
export type Text = Record<Locale, string>;

export interface Choice {
  /** Neutral, stable id (e.g. "menu.screening", "q2.weekly"); never user text. */
  id: string;
  label: string;
}

export interface OutboundMessage {
  /** Plain text; channels may add their own formatting. */
  text: string;
  /** Rows of buttons. */
  choices?: Choice[][];
  links?: { label: string; url: string }[];
  /** A typed number is the answer itself (e.g. a number of days): channels without buttons
   * list the choices unnumbered, so "1" cannot be mistaken for the first choice. */
  numbersAreAnswers?: boolean;
}

/** What a person did, after the engine has mapped numbers/labels back to offered choice ids. */
export type Input =
  /** `code`: what a deep link brought ("/start <code>"), only when it has a code's shape. */
  | { kind: 'start'; code?: string }
  | { kind: 'text'; text: string; truncated?: boolean }
  | { kind: 'choice'; choice: string }
  /** A photo, sticker, voice…; `text` is a caption, checked for crisis words and nothing else. */
  | { kind: 'unsupported'; text?: string }
  | { kind: 'follow' }
  | { kind: 'unfollow' };

export type FlowName = 'start' | 'menu' | 'screening' | 'treatment' | 'services' | 'crisis' | 'privacy' | 'clubs' | 'family';

export type AgeGroup = '12-15' | '16-17' | '18+';

/** JSON-serialisable per-flow data. */
export type FlowData = { [key: string]: unknown };

export interface FlowState {
  flow: FlowName;
  step: string;
  data: FlowData;
  /** null until the person picks a language. */
  locale: Locale | null;
  /** Under-16 mode: nothing stored beyond the anonymous result row. */
  noStorage: boolean;
  /** Consent to screening given in this conversation (also recorded as an effect). */
  consentScreening: boolean;
  /** The choices last offered, so the engine can map "2", a label or an id back to a choice. */
  offered: Choice[];
  /** 'answer' when a typed number is itself the answer (e.g. "on how many days"), not a
   * position in the offered list. */
  typedNumbers?: 'answer' | undefined;
  /** When a flow was paused (e.g. "dừng" mid-questionnaire): where to resume, and since when. */
  paused?: { flow: FlowName; step: string; data: FlowData; at: string } | undefined;
  /** ISO time of the last change. */
  updatedAt: string;
}

export type ConsentPurpose = 'screening' | 'reminders' | 'volunteering';

export type Effect =
  | { type: 'consent'; purpose: ConsentPurpose; granted: boolean }
  | {
      type: 'screeningResult';
      instrument: 'ASSIST' | 'CRAFFT';
      /** ASSIST substance class id (e.g. "alcohol"); null for CRAFFT's total. */
      substance: string | null;
      score: number;
      band: string;
      ageGroup: AgeGroup;
      province: string | null;
    }
  /** Erase everything linked to this person, now. */
  | { type: 'erase' }
  | ClubEffect;

export interface StepContext {
  now: Date;
  locale: Locale;
  content: Content;
  /** Only for wording such as "Zalo/Telegram knows you talk to us". */
  platform: 'telegram' | 'zalo' | 'web';
  /** LOG_RETENTION_DAYS, for telling people how long the anonymous log is kept. */
  retentionDays: number;
  /** Clubs, memberships and assignments, loaded only for club-related steps (flows/clubs). */
  clubs?: ClubsView;
  /** An optional model's reading of this turn's text (bot/ai), made before the turn: it may
   * raise a crisis alarm, never lower one, and place a text the local matcher could not. */
  understood?: { alarm?: 'danger' | 'suicide' | 'help' | 'worry' | undefined; intent?: string | undefined };
  /** A model is configured: the privacy page says what is sent to it. */
  aiEnabled?: boolean;
  /** The services directory (database table `service`), for the services flow. */
  services?: ServicesView;
}

export interface StepResult {
  /** null ends the conversation state (e.g. after erasure). */
  state: FlowState | null;
  messages: OutboundMessage[];
  effects: Effect[];
}

/** A flow handles the steps whose state.flow is its name. */
export interface Flow {
  name: FlowName;
  /** Enter the flow (from the menu or another flow). */
  enter(state: FlowState, ctx: StepContext, entry?: string): StepResult;
  /** Handle one input while state.flow === name. */
  step(state: FlowState, input: Input, ctx: StepContext): StepResult;
}
