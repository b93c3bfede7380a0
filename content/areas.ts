// Every content file, the schema it must satisfy, and the type flows see. Adding an area: a
// schema file in content/schema/, a YAML file, and a line here.
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

export const AREAS = {
  ui: { file: 'ui.yaml', schema: ui },
  assist: { file: 'instruments/assist.yaml', schema: assist },
  crafft: { file: 'instruments/crafft.yaml', schema: crafft },
  screening: { file: 'screening.yaml', schema: screening },
  treatment: { file: 'treatment.yaml', schema: treatment },
  services: { file: 'services.yaml', schema: services },
  emergency: { file: 'emergency.yaml', schema: emergency },
  clubs: { file: 'clubs.yaml', schema: clubs },
  clubSamples: { file: 'clubs.sample.yaml', schema: clubSamples },
  intents: { file: 'intents.yaml', schema: intents },
  family: { file: 'family.yaml', schema: family },
  /** The official provinces and communes (scripts/import-places.ts). JSON is YAML too. */
  places: { file: 'places.json', schema: places },
} as const;
