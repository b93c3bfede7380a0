// Schema of content/assist (placeholder until the area is written).
import { z } from 'zod';

export const schema = z.unknown();
export type AssistContent = z.infer<typeof schema>;
