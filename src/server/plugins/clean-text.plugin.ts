/**
 * One rule for text on every route, whatever its own schema says: no NUL and no broken
 * Unicode in a path parameter, a query string or a JSON body, keys included. PostgreSQL's
 * text holds neither (SQLite takes both), so without this one input could be stored on one
 * database and crash the other; with it, both answer 400 `invalid_text` before any
 * schema or service runs. The zod primitives (`text`, core/api/primitives.ts) say the
 * same for the fields they type; this is the net for every route, present and future.
 */
import type { FastifyInstance } from 'fastify';
import { uncleanTextAt } from '../../core/api/primitives.js';
import { badRequest } from '../errors.js';

export function installCleanText(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const parts = { path: request.params, query: request.query, body: request.body };
    for (const [part, value] of Object.entries(parts)) {
      const at = uncleanTextAt(value);
      if (at !== undefined) {
        throw badRequest('invalid_text', `The ${part} holds a NUL character or broken Unicode at ${at || '/'}.`);
      }
    }
  });
}
