/**
 * The HTTP app: Fastify with zod schemas from `core`, OpenAPI at /docs, one error
 * shape `{ error: { id, message, details? } }`, cookie sessions and bearer tokens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import { requireActor, type Actor } from './services/access.js';
import type { Credential } from './services/auth.service.js';
import { bearerOf, installRequestGuards } from './plugins/request-guards.plugin.js';
import { registerSecurityHeaders } from './plugins/security-headers.plugin.js';
import { installCleanText } from './plugins/clean-text.plugin.js';
import { tokenRoutes } from './routes/tokens/tokens.routes.js';
import { authRoutes } from './routes/auth/auth.routes.js';
import { projectRoutes } from './routes/projects/projects.routes.js';
import { itemRoutes } from './routes/items/items.routes.js';
import { workRoutes } from './routes/work/work.routes.js';
import { userRoutes } from './routes/users/users.routes.js';
import { qualityRoutes } from './routes/quality/quality.routes.js';
import { reportRoutes } from './routes/reports/reports.routes.js';
import { peopleRoutes } from './routes/people/people.routes.js';
import { trainingRoutes } from './routes/training/training.routes.js';
import { trainingAdminRoutes } from './routes/training/training-admin.routes.js';
import { payRoutes } from './routes/pay/pay.routes.js';
import { assertPasswordChosen } from './services/password-gate.js';

export const SESSION_COOKIE = 'shugu_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    /** How the actor signed in: a session cookie or a bearer token (with its scope). */
    credential: Credential | undefined;
  }
}

export interface AppOptions {
  logger?: boolean;
  /** Folder of the built web app; served at / when present. */
  webDir?: string;
}

export const defaultWebDir = () =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

export async function buildApp(ctx: Context, options: AppOptions = {}) {
  const app = Fastify({
    logger: options.logger ? { level: ctx.config.logLevel } : false,
    bodyLimit: 16 * 1024 * 1024,
    // Forwarded headers are believed only from the proxies named in SHUGU_TRUST_PROXY;
    // from anyone else they are the client's own words (docs/security.md).
    trustProxy: ctx.config.trustProxy.length > 0 ? ctx.config.trustProxy : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerSecurityHeaders(app, ctx.config);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Shugu API', description: '数谷 data-annotation platform', version: '0.1.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  // No validator badge: it would send the spec's address to validator.swagger.io.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: ctx.config.maxUploadBytes, files: 10_000, fields: 100 },
  });

  app.decorateRequest('actor', undefined);
  app.decorateRequest('credential', undefined);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const auth = await ctx.services.auth.authenticate(request.cookies[SESSION_COOKIE], bearerOf(request));
    request.actor = auth?.actor;
    request.credential = auth?.credential;
    assertPasswordChosen(request.actor, request.method, request.routeOptions.url);
  });
  // Cross-site request checks and token scopes, before any body is read.
  installRequestGuards(app);
  // No NUL and no broken Unicode in any text of any route (PostgreSQL's text takes neither).
  installCleanText(app);

  // A write is acknowledged only once it is durable (group commit on SQLite).
  app.addHook('onSend', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) await ctx.durability.sync();
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status, id, message, details } = toHttpError(err);
    if (status >= 500) request.log.error(err);
    void reply.status(status).send({ error: { id, message, ...(details === undefined ? {} : { details }) } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send({ error: { id: 'route_not_found', message: `No route ${request.method} ${request.url}.` } });
  });

  await app.register(authRoutes(ctx), { prefix: '/api' });
  await app.register(tokenRoutes(ctx), { prefix: '/api' });
  await app.register(userRoutes(ctx), { prefix: '/api' });
  await app.register(projectRoutes(ctx), { prefix: '/api' });
  await app.register(itemRoutes(ctx), { prefix: '/api' });
  await app.register(workRoutes(ctx), { prefix: '/api' });
  await app.register(qualityRoutes(ctx), { prefix: '/api' });
  await app.register(reportRoutes(ctx), { prefix: '/api' });
  await app.register(peopleRoutes(ctx), { prefix: '/api' });
  await app.register(trainingRoutes(ctx), { prefix: '/api' });
  await app.register(trainingAdminRoutes(ctx), { prefix: '/api' });
  await app.register(payRoutes(ctx), { prefix: '/api' });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));

  const webDir = options.webDir ?? defaultWebDir();
  if (fs.existsSync(path.join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, maxAge: '1h' });
    // Client-side routes all load the single page.
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/')) {
        return reply.status(404).send({ error: { id: 'route_not_found', message: `No route ${request.url}.` } });
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>Shugu</title><p>数谷 Shugu API — <a href="/docs">/docs</a></p>',
        ),
    );
  }
  return app;
}

function toHttpError(err: FastifyError): { status: number; id: string; message: string; details?: unknown } {
  if (err instanceof AppError) return { status: err.status, id: err.id, message: err.message, details: err.details };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({ path: v.instancePath, message: v.message }));
    const where = err.validationContext ?? 'request';
    return {
      status: 400,
      id: 'invalid_request',
      message: `The ${where} is not valid: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`,
      details: issues,
    };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, id: 'invalid_json', message: 'The request body is not valid JSON.' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return { status: 413, id: 'upload_too_large', message: 'The request is larger than this server accepts.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, id: 'unsupported_media_type', message: 'This route does not take that content type.' };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 415, id: 'multipart_expected', message: 'Send files as multipart/form-data.' };
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, id: 'bad_request', message: err.message };
  }
  // The multipart parser (busboy) reports a truncated or malformed body with plain errors.
  if (!err.code && /multipart data|^Multipart: Boundary not found|^Boundary required/.test(err.message ?? '')) {
    return { status: 400, id: 'multipart_invalid', message: 'The multipart/form-data body is malformed or cut short.' };
  }
  return { status: 500, id: 'internal_error', message: 'Something went wrong on the server; it has been logged.' };
}

/** The signed-in actor, or a 401. */
export function actorOf(request: FastifyRequest): Actor {
  return requireActor(request.actor);
}

/** How the signed-in actor proved who it is, or a 401. */
export function credentialOf(request: FastifyRequest): Credential {
  requireActor(request.actor);
  return request.credential!;
}
