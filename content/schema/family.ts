// Schema of content/family.yaml: short pages for family members.
import { z } from 'zod';
import { IdSchema, TextSchema } from './common.ts';

export const schema = z.strictObject({
  menuLabel: TextSchema,
  intro: TextSchema,
  pages: z.array(z.strictObject({ id: IdSchema, label: TextSchema, text: TextSchema })).min(1),
  backToFamily: TextSchema,
});
export type FamilyContent = z.infer<typeof schema>;
