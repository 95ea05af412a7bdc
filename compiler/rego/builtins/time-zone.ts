// Go's time.Time, reduced to what the time builtins need: an instant (Unix seconds and
// nanoseconds) viewed in a location. Named locations use the IANA database through Intl;
// civil dates use the proleptic Gregorian calendar for any year.
import { BuiltinError } from './table.js';

export interface Zone {
  /** IANA name, `UTC`, or `` for a fixed offset read from a timestamp. */
  readonly name: string;
  /** Set for fixed zones (parsed offsets and UTC). */
  readonly fixed?: number;
  /** Abbreviation of a fixed zone (`MST` parsed from a value), if any. */
  readonly abbr?: string;
}

export const UTC: Zone = { name: 'UTC', fixed: 0, abbr: 'UTC' };

export interface GoTime {
  /** Unix seconds. */
  readonly sec: number;
  /** 0..999999999 */
  readonly nsec: number;
  readonly zone: Zone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** time.LoadLocation: `unknown time zone X` for names the database does not have. */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC') return UTC;
  // "Local" is the host's zone in OPA; evaluations here are reproducible, so it is UTC.
  if (name === 'Local') return UTC;
  zoneFormatter(name);
  return { name };
}

function zoneFormatter(name: string): Intl.DateTimeFormat {
  let f = formatters.get(name);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new BuiltinError(`unknown time zone ${name}`);
    }
    formatters.set(name, f);
  }
  return f;
}

/** The zone's offset from UTC in seconds at the instant `sec`. */
export function offsetAt(zone: Zone, sec: number): number {
  if (zone.fixed !== undefined) return zone.fixed;
  const parts = zoneFormatter(zone.name).formatToParts(new Date(sec * 1000));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const wall =
    daysFromCivil(year, get('month'), get('day')) * 86400 + get('hour') * 3600 + get('minute') * 60 + get('second');
  return wall - sec;
}

const abbrevLocales = ['en-US', 'en-GB', 'en-IN'];

/** The zone abbreviation (`PST`, `CET`), or tzdata's numeric form (`+08`, `+0530`). */
export function abbreviation(zone: Zone, sec: number): string {
  if (zone.fixed !== undefined) return zone.abbr ?? '';
  const date = new Date(sec * 1000);
  for (const locale of abbrevLocales) {
    const name = new Intl.DateTimeFormat(locale, { timeZone: zone.name, timeZoneName: 'short' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (name !== undefined && !/^GMT[+-]/.test(name)) return name;
  }
  const off = offsetAt(zone, sec);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = Math.floor((abs % 3600) / 60);
  return sign + hh + (mm ? String(mm).padStart(2, '0') : '');
}

// --- civil calendar (days since 1970-01-01) ---------------------------------------------

export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

export function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

export function daysIn(month: number, year: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
  /** 1..366 */
  yday: number;
  offset: number;
}

export function civil(t: GoTime): Civil {
  const offset = offsetAt(t.zone, t.sec);
  const local = t.sec + offset;
  const days = Math.floor(local / 86400);
  const rest = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(rest / 3600),
    minute: Math.floor((rest % 3600) / 60),
    second: rest % 60,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    offset,
  };
}

/** time.Date: normalizes out-of-range fields, then resolves the wall clock in `zone`. */
export function fromCivil(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  nsec: number,
  zone: Zone,
): GoTime {
  // Month overflow carries into the year; everything else is plain arithmetic on seconds.
  const m0 = month - 1;
  year += Math.floor(m0 / 12);
  month = (((m0 % 12) + 12) % 12) + 1;
  second += Math.floor(nsec / 1e9);
  nsec = ((nsec % 1e9) + 1e9) % 1e9;
  const wall = (daysFromCivil(year, month, 1) + day - 1) * 86400 + hour * 3600 + minute * 60 + second;
  // Find the offset in effect at that wall time (Go's two-step lookup).
  let sec = wall - offsetAt(zone, wall);
  const off = offsetAt(zone, sec);
  if (wall - off !== sec) sec = wall - off;
  return { sec, nsec, zone };
}

// --- int64 nanoseconds ---------------------------------------------------------------------

const MIN_NS = -(1n << 63n);
const MAX_NS = (1n << 63n) - 1n;

export function fromUnixNano(ns: bigint, zone: Zone = UTC): GoTime {
  const sec = ns >= 0n ? ns / 1000000000n : -((-ns + 999999999n) / 1000000000n);
  return { sec: Number(sec), nsec: Number(ns - sec * 1000000000n), zone };
}

/** UnixNano, or the builtin error OPA reports outside the int64 range. */
export function toUnixNano(t: GoTime): bigint {
  const ns = BigInt(t.sec) * 1000000000n + BigInt(t.nsec);
  if (ns < MIN_NS || ns > MAX_NS) throw new BuiltinError('time outside of valid range');
  return ns;
}
