import type { z } from 'zod';
import type { AREAS } from './areas.ts';

type Areas = typeof AREAS;
/** Everything the bot says and knows, validated. */
export type Content = { [K in keyof Areas]: z.output<Areas[K]> };
