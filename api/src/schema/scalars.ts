import { GraphQLError, Kind } from 'graphql';
import { builder } from '../builder.ts';

// The DateTime scalar of https://scalars.graphql.org/andimarek/date-time (named by @specifiedBy, so code generators
// can map it to a date type): an RFC 3339 date-time with exactly three fraction digits; `t` and `z` may be lower
// case; `-00:00` ("offset unknown") is not allowed. Output is always UTC (`toISOString()`). A leap second (:60)
// is refused on input: a JavaScript Date cannot hold one.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})\.(\d{3})(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

function parseDate(value: unknown): Date {
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (match) {
    const [year, month, day, hour, minute, second, ms] = match.slice(1, 8).map(Number);
    const [sign, offsetHours, offsetMinutes] = [match[8], Number(match[9] ?? 0), Number(match[10] ?? 0)];
    // Built field by field (Date.UTC maps years 0..99 to 19xx) and compared back: a day, hour, minute or second
    // out of range would roll over (February 30 → March 2) and so no longer match.
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, ms);
    const inRange =
      date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day &&
      date.getUTCHours() === hour &&
      date.getUTCMinutes() === minute &&
      date.getUTCSeconds() === second &&
      offsetHours <= 23 &&
      offsetMinutes <= 59 &&
      !(sign === '-' && offsetHours === 0 && offsetMinutes === 0);
    if (inRange) {
      const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
      return new Date(date.getTime() - offsetMs);
    }
  }
  throw new GraphQLError(
    'DateTime must be an RFC 3339 date-time with milliseconds, such as 2026-01-31T12:00:00.000Z.',
    {
      extensions: { code: 'BAD_USER_INPUT' },
    },
  );
}

builder.scalarType('DateTime', {
  specifiedByURL: 'https://scalars.graphql.org/andimarek/date-time',
  description: 'A point in time, as an ISO-8601 string in UTC with milliseconds, e.g. `2026-01-31T12:00:00.000Z`.',
  serialize: (value) => (value instanceof Date ? value : new Date(value)).toISOString(),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});
