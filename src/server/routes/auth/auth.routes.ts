import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loginBody } from '../../../core/api/schemas.js';
import { actorOf, SESSION_COOKIE } from '../../app.js';
import type { Context } from '../../context.js';

export const authRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.post('/auth/login', { schema: { tags: ['auth'], body: loginBody } }, async (request, reply) => {
      const { token, user } = await ctx.services.auth.login(request.body.username, request.body.password, request.ip);
      void reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.secureCookies,
        maxAge: ctx.config.sessionDays * 86_400,
      });
      return { user };
    });

    app.post('/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await ctx.services.auth.logout(token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    app.get('/me', { schema: { tags: ['auth'] } }, async (request) => ({ user: actorOf(request) }));
    // Bearer tokens: routes/tokens/tokens.routes.ts.
  };
