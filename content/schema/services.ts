// Schema of content/services.yaml: a directory by province, then area, then entries. While the
// data is sample data (`sample: true`), every entry must say so in its name and any phone field,
// so nothing invented can pass for a real clinic or number.
import { z } from 'zod';
import { DaySchema, IdSchema, TextSchema } from './common.ts';

export const SERVICE_TYPES = ['methadone', 'hiv', 'rehab', 'health-station', 'counselling'] as const;

const EntrySchema = z.strictObject({
  name: TextSchema,
  type: z.enum(SERVICE_TYPES),
  address: TextSchema,
  /** Only a number the service publishes itself; omit when unknown. */
  phone: z.string().trim().min(1).optional(),
  hours: TextSchema,
  notes: TextSchema.optional(),
  /** When someone last checked this entry (stale listings are a directory's worst flaw). */
  verifiedOn: DaySchema,
});
export type ServiceEntry = z.infer<typeof EntrySchema>;

/**
 * Decree 184/2025 abolished districts (two-tier local government). The `districts` level stays
 * as an "area": a former district (quận/huyện cũ) or a new ward/commune, whichever people know.
 */
const DistrictSchema = z.strictObject({
  id: IdSchema,
  name: TextSchema,
  aliases: z.array(z.string().trim().min(1)).default([]),
  entries: z.array(EntrySchema).min(1),
});

const ProvinceSchema = z.strictObject({
  id: IdSchema,
  name: TextSchema,
  aliases: z.array(z.string().trim().min(1)).default([]),
  districts: z.array(DistrictSchema).min(1),
});
export type Province = z.infer<typeof ProvinceSchema>;
export type District = z.infer<typeof DistrictSchema>;

export const schema = z
  .strictObject({
    sample: z.boolean(),
    /** Shown with every list while `sample` is true. */
    sampleNote: TextSchema,
    types: z.strictObject(Object.fromEntries(SERVICE_TYPES.map((t) => [t, TextSchema])) as {
      [K in (typeof SERVICE_TYPES)[number]]: typeof TextSchema;
    }),
    texts: z.strictObject({
      chooseProvince: TextSchema,
      chooseDistrict: TextSchema,
      entriesTitle: TextSchema,
      notFound: TextSchema,
      more: TextSchema,
      firstPage: TextSchema,
      otherProvince: TextSchema,
      otherDistrict: TextSchema,
      type: TextSchema,
      address: TextSchema,
      phone: TextSchema,
      hours: TextSchema,
      notes: TextSchema,
      verifiedOn: TextSchema,
      sampleDate: TextSchema,
    }),
    provinces: z.array(ProvinceSchema).min(1),
  })
  .superRefine((c, ctx) => {
    const pIds = new Set<string>();
    c.provinces.forEach((p, pi) => {
      if (pIds.has(p.id)) ctx.addIssue({ code: 'custom', path: ['provinces', pi, 'id'], message: `duplicate id "${p.id}"` });
      pIds.add(p.id);
      const dIds = new Set<string>();
      p.districts.forEach((d, di) => {
        const at = ['provinces', pi, 'districts', di];
        if (dIds.has(d.id)) ctx.addIssue({ code: 'custom', path: [...at, 'id'], message: `duplicate id "${d.id}"` });
        dIds.add(d.id);
        if (!c.sample) return;
        d.entries.forEach((e, ei) => {
          const where = [...at, 'entries', ei];
          if (!e.name.vi.includes('(mẫu)') || !e.name.en.includes('(sample)')) {
            ctx.addIssue({ code: 'custom', path: [...where, 'name'], message: 'sample data: name must say "(mẫu)" / "(sample)"' });
          }
          if (e.phone !== undefined && !e.phone.includes('mẫu')) {
            ctx.addIssue({ code: 'custom', path: [...where, 'phone'], message: 'sample data: phone must say "(mẫu)" or be omitted' });
          }
        });
      });
    });
  });
export type ServicesContent = z.infer<typeof schema>;
