// Schema of content/services.yaml: the words of the services directory and its shipped sample
// entries. The directory itself lives in the database (table `service`, filled with `admin
// services import`); the samples are loaded only while it is empty and always say "(mẫu)".
import { z } from 'zod';
import { DaySchema, IdSchema, TextSchema } from './common.ts';

export const SERVICE_TYPES = ['methadone', 'hiv', 'rehab', 'health-station', 'counselling'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

const SampleSchema = z
  .strictObject({
    id: IdSchema,
    /** Official names since 1 July 2025 (content/places.json); checked when loaded. */
    province: z.string().min(1),
    commune: z.string().min(1).optional(),
    name: TextSchema,
    type: z.enum(SERVICE_TYPES),
    address: TextSchema,
    hours: TextSchema,
    notes: TextSchema.optional(),
    verifiedOn: DaySchema,
  })
  // Nothing invented may pass for a real clinic: every sample says so, and has no phone number.
  .refine((e) => e.name.vi.includes('(mẫu)') && e.name.en.includes('(sample)'), { message: 'a sample name must say "(mẫu)" / "(sample)"', path: ['name'] });
export type ServiceSample = z.infer<typeof SampleSchema>;

const TEXT_KEYS = [
  'chooseProvince',
  'formerly',
  'chooseCommune',
  'allInProvince',
  'noServices',
  'noneInCommune',
  'pickOne',
  'entriesTitle',
  'notFound',
  'more',
  'firstPage',
  'otherProvince',
  'otherCommune',
  'type',
  'address',
  'phone',
  'call',
  'hours',
  'notes',
  'verifiedOn',
  'sampleDate',
] as const;

export const schema = z
  .strictObject({
    /** Shown with every list that includes a sample entry. */
    sampleNote: TextSchema,
    types: z.strictObject(Object.fromEntries(SERVICE_TYPES.map((t) => [t, TextSchema])) as { [K in ServiceType]: typeof TextSchema }),
    texts: z.strictObject(Object.fromEntries(TEXT_KEYS.map((k) => [k, TextSchema])) as { [K in (typeof TEXT_KEYS)[number]]: typeof TextSchema }),
    samples: z.array(SampleSchema),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.samples.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['samples', i, 'id'], message: `duplicate id "${s.id}"` });
      if (!s.id.startsWith('sample-')) ctx.addIssue({ code: 'custom', path: ['samples', i, 'id'], message: 'sample ids start with "sample-"' });
      seen.add(s.id);
    });
  });
export type ServicesContent = z.infer<typeof schema>;
