import type { FastifyInstance } from 'fastify';
import { badInput, invalidJson } from '../errors.js';

/** An HTML form's encodings: such a body was never JSON, so say what to send instead of "not valid JSON". */
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * Legacy clients do not always label their JSON (text/plain, or nothing): every body is read as JSON whatever its
 * content type; what is not JSON is still refused with 400, a form with a sentence saying the body must be JSON.
 */
export function registerLenientJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(
        FORM_TYPES.test(req.headers['content-type'] ?? '')
          ? badInput('The request body must be JSON (Content-Type: application/json), not a form.')
          : invalidJson(),
        undefined,
      );
    }
  });
}
