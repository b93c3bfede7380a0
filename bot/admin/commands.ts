// The management board's commands. Each runs in one transaction: a failure leaves nothing
// half-written. Inputs are validated before anything touches the database.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';
import { loadContent } from '../../content/load.ts';
import { communeNamed, findProvinces, provinceNamed } from '../../flows/places.ts';
import { validateSeries } from '../clubs/recurrence.ts';
import { insertSamples, removeSamples } from '../clubs/samples.ts';
import { cancelOccurrence, materialise, moveOccurrence } from '../clubs/schedule.ts';
import { formatLocal, isTimeZone, parseHhmm, parseLocalInstant } from '../../flows/clubs/time.ts';
import { encrypt } from '../privacy/crypto.ts';
import { AdminError, day, flag, type ParsedArgs, posInt, role, slug, text, validate } from './args.ts';
import { clubReport, reportCsv } from './report.ts';
import { createOfficerLink } from '../console/auth.ts';
import { LINK_TTL_MS } from '../db/console-link.ts';
import { prismaSql } from '../db/sql.ts';
import { exportServices, importServices } from './services.ts';
import { newInviteCode, normaliseCode } from '../clubs/invite-code.ts';

export interface AdminDeps {
  prisma: PrismaClient;
  now: Date;
  addressKey: Buffer;
  /** The console's public address, for officers' sign-in links (PUBLIC_URL or localhost). */
  consoleBase?: string;
}

type Tx = Prisma.TransactionClient;
/** `rest`: the words after the command's own (e.g. the file of `services import FILE.csv`). */
type Handler = (tx: Tx, opts: Record<string, string>, deps: AdminDeps, rest: string[]) => Promise<string>;

const tz = z.string().refine(isTimeZone, 'must be an IANA time zone like Asia/Ho_Chi_Minh');
const hhmm = z.string().refine((s) => parseHhmm(s) !== null, 'must be a time like 21:00');
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a local date and time like 2026-03-14T08:00');
const alias = text(40);

async function clubOf(tx: Tx, id: string) {
  const club = await tx.club.findUnique({ where: { id } });
  if (!club) throw new AdminError(`no club with id "${id}" (see: admin club list)`);
  return club;
}

/** A member is named by alias or by "#<membership id>" when it has none. */
async function membershipOf(tx: Tx, clubId: string, who: string, roles?: string[]) {
  const m = who.startsWith('#')
    ? await tx.membership.findFirst({ where: { clubId, id: /^#\d{1,9}$/.test(who) ? Number(who.slice(1)) : -1 } })
    : await tx.membership.findUnique({ where: { clubId_alias: { clubId, alias: who } } });
  if (m?.status !== 'active') throw new AdminError(`no active member "${who}" in club ${clubId} (see: admin members --club ${clubId})`);
  if (roles && !roles.includes(m.role)) throw new AdminError(`"${who}" is a ${m.role}, not a ${roles.join(' or ')}`);
  return m;
}

async function occurrenceOf(tx: Tx, id: number) {
  const occ = await tx.meetingOccurrence.findUnique({ where: { id }, include: { club: true } });
  if (!occ) throw new AdminError(`no meeting with id ${id} (see: admin meetings --club <id>)`);
  return occ;
}

/** The official names of a province and one of its communes, or a one-line error. */
function officialPlace(province: string, commune: string): { province: string; commune: string } {
  const places = loadContent().places;
  const p = provinceNamed(places, province);
  if (!p) {
    const now = findProvinces(places, province)[0];
    const hint = now?.formerly ? ` (${now.formerly} is part of ${now.province.name} since 1 July 2025)` : '';
    throw new AdminError(`--province "${province}" is not one of the 34 provinces${hint}`);
  }
  const c = communeNamed(p, commune);
  if (!c) throw new AdminError(`--commune "${commune}" is not a commune, ward or special zone of ${p.name} (give its full name, e.g. "Phường …" or "Xã …")`);
  return { province: p.name, commune: c.name };
}

const showCode = (c: string) => `${c.slice(0, 4)}-${c.slice(4)}`;

const COMMANDS: Record<string, { usage: string; run: Handler }> = {
  'services import': {
    usage: 'services import FILE.csv [--drop-samples]   (columns: see services export; all rows valid, or nothing changes)',
    async run(tx, o, deps, rest) {
      const a = validate(z.object({ 'drop-samples': flag.default(false) }), o, COMMANDS['services import']!.usage);
      if (rest.length !== 1) throw new AdminError(`give one CSV file\nusage: ${COMMANDS['services import']!.usage}`);
      return importServices(tx, rest[0]!, { dropSamples: a['drop-samples'] }, deps.now);
    },
  },
  'services export': {
    usage: 'services export [--with-samples]   (CSV on standard output: > services.csv)',
    async run(tx, o) {
      const a = validate(z.object({ 'with-samples': flag.default(false) }), o, COMMANDS['services export']!.usage);
      return exportServices(tx, a['with-samples']);
    },
  },
  'club create': {
    usage:
      'club create --id <slug> --name <name> --province <p> --commune <c> --venue <place> [--board <contacts>] [--tz Asia/Ho_Chi_Minh] [--invite true|false] [--quiet-start 21:00] [--quiet-end 07:00]',
    async run(tx, o) {
      const a = validate(
        z.object({
          id: slug,
          name: text(),
          province: text(80),
          commune: text(80),
          venue: text(),
          board: text(300).optional(),
          tz: tz.default('Asia/Ho_Chi_Minh'),
          invite: flag.default(true),
          'quiet-start': hhmm.default('21:00'),
          'quiet-end': hhmm.default('07:00'),
        }),
        o,
        COMMANDS['club create']!.usage,
      );
      if (await tx.club.findUnique({ where: { id: a.id } })) throw new AdminError(`a club with id "${a.id}" already exists`);
      // Places since 1 July 2025: province → commune, ward or special zone, by their official names.
      const place = officialPlace(a.province, a.commune);
      await tx.club.create({
        data: {
          id: a.id,
          name: a.name,
          province: place.province,
          commune: place.commune,
          venue: a.venue,
          boardContacts: a.board ?? '',
          timeZone: a.tz,
          requiresInvite: a.invite,
          quietStart: a['quiet-start'],
          quietEnd: a['quiet-end'],
        },
      });
      return `created club ${a.id}`;
    },
  },
  'club list': {
    usage: 'club list',
    async run(tx, o) {
      validate(z.object({}), o, 'club list');
      const clubs = await tx.club.findMany({ orderBy: [{ province: 'asc' }, { commune: 'asc' }] });
      if (!clubs.length) return 'no clubs yet (create one: admin club create …)';
      return clubs.map((c) => `${c.id}\t${c.name}\t${c.province} / ${c.commune}${c.sample ? '\t(sample)' : ''}`).join('\n');
    },
  },
  'series add': {
    usage: 'series add --club <id> --rrule "FREQ=MONTHLY;BYDAY=2SA" --start 2026-01-10T08:00 --duration <minutes> --topic <text> [--venue <place>] [--tz <IANA>]',
    async run(tx, o, deps) {
      const a = validate(
        z.object({ club: slug, rrule: text(300), start: localTime, duration: posInt(15, 600), topic: text(), venue: text().optional(), tz: tz.optional() }),
        o,
        COMMANDS['series add']!.usage,
      );
      const club = await clubOf(tx, a.club);
      const rule = { rrule: a.rrule, dtstart: a.start, timeZone: a.tz ?? club.timeZone, durationMin: a.duration };
      const problem = validateSeries(rule);
      if (problem) throw new AdminError(problem);
      const s = await tx.meetingSeries.create({ data: { clubId: club.id, ...rule, topic: a.topic, venue: a.venue ?? null } });
      const n = await materialise(prismaSql(tx), deps.now, undefined, club.id);
      return `created series ${s.id} for ${club.id}; ${n} meetings scheduled ahead`;
    },
  },
  meetings: {
    usage: 'meetings --club <id> [--all true]',
    async run(tx, o, deps) {
      const a = validate(z.object({ club: slug, all: flag.default(false) }), o, COMMANDS['meetings']!.usage);
      const club = await clubOf(tx, a.club);
      const rows = await tx.meetingOccurrence.findMany({
        where: { clubId: club.id, ...(a.all ? {} : { startsAt: { gte: deps.now } }) },
        orderBy: { startsAt: 'asc' },
        take: 50,
      });
      if (!rows.length) return `no meetings for ${club.id} (add a series: admin series add …)`;
      return rows.map((r) => {
        const t = formatLocal(r.startsAt, club.timeZone);
        return `${r.id}\t${t.date} ${t.time}\t${r.status}\t${r.topic}\t${r.venue}`;
      }).join('\n');
    },
  },
  'meeting move': {
    usage: 'meeting move --id <meeting id> --to 2026-03-15T09:00 [--venue <place>]',
    async run(tx, o, deps) {
      const a = validate(z.object({ id: posInt(1, 2 ** 31 - 1), to: localTime, venue: text().optional() }), o, COMMANDS['meeting move']!.usage);
      const occ = await occurrenceOf(tx, a.id);
      if (occ.status === 'cancelled') throw new AdminError(`meeting ${a.id} is cancelled; it cannot be moved`);
      const to = parseLocalInstant(a.to, occ.club.timeZone);
      if (!to) throw new AdminError(`--to ${a.to} is not a real date and time`);
      if (to <= deps.now) throw new AdminError(`--to ${a.to} is in the past`);
      await moveOccurrence(tx, occ.id, to, deps.now, a.venue);
      return `moved meeting ${a.id} to ${a.to} (${occ.club.timeZone}); members will get one notice`;
    },
  },
  'meeting cancel': {
    usage: 'meeting cancel --id <meeting id>',
    async run(tx, o, deps) {
      const a = validate(z.object({ id: posInt(1, 2 ** 31 - 1) }), o, COMMANDS['meeting cancel']!.usage);
      const occ = await occurrenceOf(tx, a.id);
      if (occ.status === 'cancelled') throw new AdminError(`meeting ${a.id} is already cancelled`);
      if (occ.startsAt <= deps.now) throw new AdminError(`meeting ${a.id} has already started`);
      await cancelOccurrence(tx, occ.id, deps.now);
      return `cancelled meeting ${a.id}; members will get one notice`;
    },
  },
  'invite create': {
    usage: 'invite create --club <id> --role member|volunteer|coordinator [--alias <alias>] [--uses 1] [--days 30]',
    async run(tx, o, deps) {
      const a = validate(
        z.object({ club: slug, role, alias: alias.optional(), uses: posInt(1, 500).default(1), days: posInt(1, 365).default(30) }),
        o,
        COMMANDS['invite create']!.usage,
      );
      const club = await clubOf(tx, a.club);
      if (a.role !== 'member' && !a.alias) throw new AdminError(`--alias is required for a ${a.role} (how the board will know them)`);
      if (a.alias && a.uses > 1) throw new AdminError('a code with --alias is for one person: --uses must be 1');
      if (a.alias) {
        const taken = await tx.membership.findUnique({ where: { clubId_alias: { clubId: club.id, alias: a.alias } } });
        if (taken) throw new AdminError(`alias "${a.alias}" is already used in ${club.id}`);
      }
      const code = newInviteCode();
      await tx.inviteCode.create({
        data: { code, clubId: club.id, role: a.role, alias: a.alias ?? null, maxUses: a.uses, expiresAt: new Date(deps.now.getTime() + a.days * 86_400_000) },
      });
      return `invite code ${showCode(code)} (${a.role}${a.alias ? `, ${a.alias}` : ''}, ${a.uses} use${a.uses > 1 ? 's' : ''}, ${a.days} days)`;
    },
  },
  'invite revoke': {
    usage: 'invite revoke --code <code>',
    async run(tx, o, deps) {
      const a = validate(z.object({ code: text(20) }), o, COMMANDS['invite revoke']!.usage);
      const code = normaliseCode(a.code);
      const row = await tx.inviteCode.findUnique({ where: { code } });
      if (!row) throw new AdminError(`no invite code ${a.code}`);
      if (row.revokedAt) throw new AdminError(`invite code ${a.code} is already revoked`);
      await tx.inviteCode.update({ where: { code }, data: { revokedAt: deps.now } });
      return `revoked ${showCode(code)}`;
    },
  },
  members: {
    usage: 'members --club <id>',
    async run(tx, o) {
      const a = validate(z.object({ club: slug }), o, COMMANDS['members']!.usage);
      const club = await clubOf(tx, a.club);
      const rows = await tx.membership.findMany({ where: { clubId: club.id, status: 'active' }, orderBy: [{ role: 'asc' }, { alias: 'asc' }] });
      if (!rows.length) return `no members in ${club.id} yet`;
      return rows.map((m) => `${m.alias ?? `#${m.id}`}\t${m.role}\treminders ${m.remindersOn ? 'on' : 'off'}`).join('\n');
    },
  },
  'member alias': {
    usage: 'member alias --club <id> --member "#<id>" --alias <alias>',
    async run(tx, o) {
      const a = validate(z.object({ club: slug, member: text(40), alias }), o, COMMANDS['member alias']!.usage);
      const m = await membershipOf(tx, a.club, a.member);
      if (await tx.membership.findUnique({ where: { clubId_alias: { clubId: a.club, alias: a.alias } } })) throw new AdminError(`alias "${a.alias}" is already used`);
      await tx.membership.update({ where: { id: m.id }, data: { alias: a.alias } });
      return `${a.member} is now "${a.alias}"`;
    },
  },
  assign: {
    usage: 'assign --club <id> --volunteer <alias> --member <alias> [--as <alias the volunteer knows>] [--every <days, default 14>]',
    async run(tx, o, deps) {
      const a = validate(z.object({ club: slug, volunteer: text(40), member: text(40), as: alias.optional(), every: posInt(1, 90).default(14) }), o, COMMANDS['assign']!.usage);
      await clubOf(tx, a.club);
      const v = await membershipOf(tx, a.club, a.volunteer, ['volunteer', 'coordinator']);
      const m = await membershipOf(tx, a.club, a.member, ['member']);
      const active = await tx.volunteerAssignment.count({ where: { volunteerId: v.id, active: true, NOT: { memberId: m.id } } });
      // The programme's rule: each volunteer looks after one or two people.
      if (active >= 2) throw new AdminError(`${a.volunteer} already supports two people; end one assignment first`);
      const data = { clubId: a.club, memberAlias: a.as ?? m.alias ?? `#${m.id}`, cadenceDays: a.every, nextDueAt: new Date(deps.now.getTime() + a.every * 86_400_000), active: true, endedAt: null };
      const row = await tx.volunteerAssignment.upsert({
        where: { volunteerId_memberId: { volunteerId: v.id, memberId: m.id } },
        create: { volunteerId: v.id, memberId: m.id, ...data },
        update: data,
      });
      return `assignment ${row.id}: ${a.volunteer} supports ${a.member}, check-in every ${a.every} days`;
    },
  },
  unassign: {
    usage: 'unassign --club <id> --volunteer <alias> --member <alias>',
    async run(tx, o, deps) {
      const a = validate(z.object({ club: slug, volunteer: text(40), member: text(40) }), o, COMMANDS['unassign']!.usage);
      const v = await membershipOf(tx, a.club, a.volunteer);
      const m = await membershipOf(tx, a.club, a.member);
      const n = await tx.volunteerAssignment.updateMany({ where: { volunteerId: v.id, memberId: m.id, active: true }, data: { active: false, endedAt: deps.now } });
      if (!n.count) throw new AdminError(`${a.volunteer} has no active assignment with ${a.member}`);
      return `ended: ${a.volunteer} → ${a.member}`;
    },
  },
  attendance: {
    usage: 'attendance --meeting <id> [--present "alias1,alias2"] [--absent "alias3"]',
    async run(tx, o, deps) {
      const a = validate(z.object({ meeting: posInt(1, 2 ** 31 - 1), present: z.string().optional(), absent: z.string().optional() }), o, COMMANDS['attendance']!.usage);
      const occ = await occurrenceOf(tx, a.meeting);
      if (occ.status === 'cancelled') throw new AdminError(`meeting ${a.meeting} was cancelled`);
      if (occ.startsAt > deps.now) throw new AdminError(`meeting ${a.meeting} has not happened yet`);
      const list = (s?: string) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      const present = list(a.present);
      const absent = list(a.absent);
      if (!present.length && !absent.length) throw new AdminError('give --present and/or --absent (comma-separated aliases)');
      const both = present.filter((p) => absent.includes(p));
      if (both.length) throw new AdminError(`"${both[0]}" is both present and absent`);
      for (const [who, isPresent] of [...present.map((p) => [p, true] as const), ...absent.map((p) => [p, false] as const)]) {
        const m = await membershipOf(tx, occ.clubId, who);
        await tx.attendance.upsert({
          where: { occurrenceId_membershipId: { occurrenceId: occ.id, membershipId: m.id } },
          create: { occurrenceId: occ.id, membershipId: m.id, present: isPresent, recordedAt: deps.now },
          update: { present: isPresent, recordedAt: deps.now },
        });
      }
      return `recorded ${present.length} present, ${absent.length} absent for meeting ${a.meeting}`;
    },
  },
  progress: {
    usage: 'progress --club <id> --member <alias> --month 2026-03 --status on_track|needs_support|not_seen [--note - (read from standard input: it stays out of shell history; stored encrypted)]',
    async run(tx, o, deps) {
      const a = validate(
        z.object({
          club: slug,
          member: text(40),
          month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month like 2026-03'),
          status: z.enum(['on_track', 'needs_support', 'not_seen'], 'must be on_track, needs_support or not_seen'),
          note: text(2000).optional(),
        }),
        o,
        COMMANDS['progress']!.usage,
      );
      const m = await membershipOf(tx, a.club, a.member, ['member']);
      const month = new Date(`${a.month}-01T00:00:00Z`);
      const noteEnc = a.note ? encrypt(deps.addressKey, a.note) : null;
      await tx.progressNote.upsert({
        where: { membershipId_month: { membershipId: m.id, month } },
        create: { membershipId: m.id, month, status: a.status, noteEnc },
        update: { status: a.status, noteEnc },
      });
      return `progress for ${a.member}, ${a.month}: ${a.status}`;
    },
  },
  'console link': {
    usage: 'console link --officer <alias> [--province <province>]   (a one-time console sign-in link, 10 minutes; without --province: the whole programme)',
    async run(tx, o, deps) {
      const a = validate(z.object({ officer: alias, province: text(80).optional() }), o, COMMANDS['console link']!.usage);
      // The province by its official name, as clubs and results store it ("Đồng Nai" → "Tỉnh Đồng Nai").
      let province: string | null = null;
      if (a.province) {
        const p = provinceNamed(loadContent().places, a.province);
        if (!p) throw new AdminError(`--province "${a.province}" is not one of the 34 provinces`);
        province = p.name;
      }
      const token = await createOfficerLink(tx, a.officer, province, deps.now);
      const base = deps.consoleBase ?? 'http://localhost:3000';
      return `sign-in link for officer "${a.officer}" (${province ?? 'whole programme'}), single use, valid ${LINK_TTL_MS / 60_000} minutes:\n${base}/console/in/${token}`;
    },
  },
  'sample load': {
    usage: 'sample load   (the sample clubs of content/clubs.sample.yaml, marked as samples)',
    async run(tx, o, deps) {
      validate(z.object({}), o, COMMANDS['sample load']!.usage);
      const created = await insertSamples(prismaSql(tx), loadContent().clubSamples, deps.now);
      return created.length ? `loaded ${created.length} sample clubs: ${created.join(', ')}` : 'the sample clubs are already loaded';
    },
  },
  'sample remove': {
    usage: 'sample remove   (deletes the sample clubs only; real clubs stay)',
    async run(tx, o) {
      validate(z.object({}), o, COMMANDS['sample remove']!.usage);
      const n = await removeSamples(tx);
      return n ? `removed ${n} sample clubs` : 'no sample clubs to remove';
    },
  },
  report: {
    usage: 'report [--club <id>] [--from 2026-01-01] [--to 2026-06-30]   (CSV on stdout; default: the last six months)',
    async run(tx, o, deps) {
      const a = validate(z.object({ club: slug.optional(), from: day.optional(), to: day.optional() }), o, COMMANDS['report']!.usage);
      const to = a.to ? new Date(`${a.to}T23:59:59.999Z`) : deps.now;
      const from = a.from ? new Date(`${a.from}T00:00:00Z`) : new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 6, to.getUTCDate()));
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new AdminError('--from/--to must be real dates');
      if (from > to) throw new AdminError('--from is after --to');
      if (a.club) await clubOf(tx, a.club);
      const clubs = a.club ? [a.club] : (await tx.club.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((c) => c.id);
      const rows = [];
      for (const id of clubs) rows.push(await clubReport(tx, id, from, to, deps.now));
      return reportCsv(rows);
    },
  },
};

export const USAGE = `usage: npm run admin -- <command> [--option value …]\ncommands:\n${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}`;

/** Run one admin command; throws AdminError with a clear message on bad input. */
export async function runAdmin(args: ParsedArgs, deps: AdminDeps): Promise<string> {
  const key = COMMANDS[args.words.slice(0, 2).join(' ')] ? args.words.slice(0, 2).join(' ') : args.words[0];
  const cmd = key ? COMMANDS[key] : undefined;
  if (!cmd) throw new AdminError(args.words.length ? `unknown command "${args.words.join(' ')}"\n${USAGE}` : USAGE);
  const rest = args.words.slice(key!.split(' ').length);
  return deps.prisma.$transaction((tx) => cmd.run(tx, args.options, deps, rest), { timeout: 60_000, maxWait: 15_000 });
}
