// Schema of content/services (placeholder until the area is written).
import { z } from 'zod';

export const schema = z.unknown();
export type ServicesContent = z.infer<typeof schema>;
