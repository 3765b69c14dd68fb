// How the JSON APIs (management, hub) read bodies: JSON only, an empty body as no body, the parser's own words on a
// syntax error, and no NUL characters anywhere (PostgreSQL cannot store U+0000 in text; refused on every store alike).
import type { FastifyInstance } from 'fastify';
import { GatehouseError } from '../errors.ts';

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v));
  return false;
}

/** The parser's own words (they name the position) rather than Fastify's generic message. */
function jsonErrorDetail(text: string, fallback: Error): string {
  try {
    JSON.parse(text);
    return fallback.message; // valid JSON, refused for another reason (e.g. a __proto__ key)
  } catch (error) {
    return (error as Error).message;
  }
}

export function acceptJsonBodies(app: FastifyInstance, bodyLimit: number): void {
  // JSON only: anything else is 415 rather than a string that fails validation with a puzzling message (and a
  // cross-site form cannot send JSON without a CORS preflight, which neither API grants).
  app.removeContentTypeParser('text/plain');
  // An empty body with a JSON content type reads as "no body": action routes such as deploy take none.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, function parseJsonBody(request, body, done) {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, (error, value) => {
      if (error) return done(new GatehouseError('request.malformed_json', `The body is not valid JSON: ${jsonErrorDetail(text, error)}.`), undefined);
      if (text.includes('\\u0000') && holdsNul(value)) {
        return done(new GatehouseError('request.invalid', 'The body contains a NUL character (\\u0000), which no field may hold.'), undefined);
      }
      done(null, value);
    });
  });
}
