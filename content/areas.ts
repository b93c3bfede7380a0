// Every content area, the schema its file must satisfy (which gives the type flows see), and the
// file. Adding an area: a schema file in content/schema/, a YAML file, and its name here.
import { schema as assist } from './schema/assist.ts';
import { schema as clubs, sampleSchema as clubSamples } from './schema/clubs.ts';
import { schema as crafft } from './schema/crafft.ts';
import { schema as emergency } from './schema/emergency.ts';
import { schema as family } from './schema/family.ts';
import { schema as intents } from './schema/intents.ts';
import { schema as places } from './schema/places.ts';
import { schema as screening } from './schema/screening.ts';
import { schema as services } from './schema/services.ts';
import { schema as treatment } from './schema/treatment.ts';
import { schema as ui } from './schema/ui.ts';

/** Each area's schema; the area's file is `<area>.yaml` under content/ unless FILES names another. */
export const AREAS = { ui, assist, crafft, screening, treatment, services, emergency, clubs, clubSamples, intents, family, places } as const;
export type Area = keyof typeof AREAS;

const FILES: Partial<Record<Area, string>> = {
  assist: 'instruments/assist.yaml',
  crafft: 'instruments/crafft.yaml',
  clubSamples: 'clubs.sample.yaml',
  /** The official provinces and communes (scripts/import-places.ts). JSON is YAML too. */
  places: 'places.json',
};

export const fileOf = (area: Area): string => FILES[area] ?? `${area}.yaml`;
