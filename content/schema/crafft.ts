// Schema of content/crafft (placeholder until the area is written).
import { z } from 'zod';

export const schema = z.unknown();
export type CrafftContent = z.infer<typeof schema>;
