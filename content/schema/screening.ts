// Schema of content/screening (placeholder until the area is written).
import { z } from 'zod';

export const schema = z.unknown();
export type ScreeningContent = z.infer<typeof schema>;
