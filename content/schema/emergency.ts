// Schema of content/emergency (placeholder until the area is written).
import { z } from 'zod';

export const schema = z.unknown();
export type EmergencyContent = z.infer<typeof schema>;
