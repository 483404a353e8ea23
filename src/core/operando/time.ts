/**
 * Wall-clock times → Unix seconds, with the time zone and clock offset always explicit (issue 5:
 * "never guesses").
 */

/** How to read a time stamp that carries no zone of its own, and how far its clock is off. */
export interface ClockOptions {
  /**
   * Zone of stamps written without one: 'UTC', 'Z', a fixed offset ('+01:00', '-0500'), or an IANA
   * name
   * ('Europe/Paris', resolved with Intl, daylight saving included). A stamp with its own offset
   * keeps it.
   */
  readonly timeZone?: string;
  /** Added to every parsed time, in s: true time = clock reading + offset. Default 0. */
  readonly clockOffsetS?: number;
}

const STAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses an ISO 8601 stamp ('2025-07-02T19:05:59.614+02:00') or a local 'YYYY-MM-DD
 * HH:MM:SS(.ffffff)' stamp into
 * Unix seconds (fractional, microseconds kept).
 * @throws RangeError when the stamp cannot be read, or has no zone and `options.timeZone` is not
 * given.
 */
export function parseTimestampUnixS(text: string, options: ClockOptions = {}): number {
  const m = STAMP.exec(text.trim());
  if (!m) throw new RangeError(`cannot read time stamp '${text}'`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) {
    throw new RangeError(`time stamp '${text}' is out of range`);
  }
  const fraction = m[7] ? Number(`0.${m[7]}`) : 0;
  const wallAsUtcS = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  const zone = m[8] ?? options.timeZone;
  if (zone === undefined) {
    throw new RangeError(`time stamp '${text}' has no time zone: give one explicitly (e.g. 'UTC' or '+01:00')`);
  }
  const offsetS = zoneOffsetS(zone, wallAsUtcS);
  return wallAsUtcS - offsetS + fraction + (options.clockOffsetS ?? 0);
}

/**
 * Unix seconds → ISO 8601 UTC, e.g. '2025-07-02T17:05:59.614Z' with the default 3 fraction digits
 * (0–6 allowed;
 * 6 keeps microseconds). NaN gives ''.
 */
export function formatIsoUtc(unixS: number, fractionDigits: number = 3): string {
  if (!Number.isFinite(unixS)) return '';
  if (!(Number.isInteger(fractionDigits) && fractionDigits >= 0 && fractionDigits <= 6)) {
    throw new RangeError(`fractionDigits must be an integer in 0..6, got ${fractionDigits}`);
  }
  const scale = 10 ** fractionDigits;
  // Split into whole seconds and a rounded fraction so that rounding carries into the seconds
  // correctly.
  const ticks = Math.round(unixS * scale);
  const whole = Math.floor(ticks / scale);
  const frac = ticks - whole * scale;
  const base = new Date(whole * 1000).toISOString().slice(0, 19);
  return fractionDigits === 0 ? `${base}Z` : `${base}.${String(frac).padStart(fractionDigits, '0')}Z`;
}

/**
 * True when `zone` is a zone this module can resolve (fixed offset, UTC/Z, or an IANA name known to
 * Intl).
 */
export function isKnownTimeZone(zone: string): boolean {
  try {
    zoneOffsetS(zone, 0);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` from UTC in s (east positive) for a wall-clock time given as if it were UTC. */
function zoneOffsetS(zone: string, wallAsUtcS: number): number {
  const z = zone.trim();
  if (/^(z|utc|gmt)$/i.test(z)) return 0;
  const fixed = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})?$/i.exec(z);
  if (fixed) {
    const sign = fixed[1] === '-' ? -1 : 1;
    return sign * (Number(fixed[2]) * 3600 + Number(fixed[3] ?? 0) * 60);
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: z,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    throw new RangeError(`unknown time zone '${zone}'`);
  }
  // The offset depends on the instant, which depends on the offset: two fixed-point steps settle it
  // except in the
  // skipped hour of a daylight-saving change, where the later offset wins.
  let offset = ianaOffsetAtS(format, wallAsUtcS);
  offset = ianaOffsetAtS(format, wallAsUtcS - offset);
  return offset;
}

function ianaOffsetAtS(format: Intl.DateTimeFormat, instantS: number): number {
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(Math.floor(instantS) * 1000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second) / 1000;
  return wall - Math.floor(instantS);
}
