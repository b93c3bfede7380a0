// Schema of content/treatment (placeholder until the area is written).
import { z } from 'zod';

export const schema = z.unknown();
export type TreatmentContent = z.infer<typeof schema>;
