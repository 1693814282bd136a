import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { setPasswordBody, signupBody } from '../../../core/api/people.js';
import { actorOf, SESSION_COOKIE } from '../../app.js';
import type { Context } from '../../context.js';

/** The person's own account: sign-up with an invitation (public) and choosing her password. */
export const accountRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const setSession = (reply: FastifyReply, token: string) =>
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.secureCookies,
        maxAge: ctx.config.sessionDays * 86_400,
      });

    app.get(
      '/signup',
      { schema: { tags: ['auth'], querystring: z.object({ code: z.string().trim().min(4).max(40) }) } },
      async (request) => ctx.services.invitations.check(request.query.code, request.ip),
    );
    app.post('/signup', { schema: { tags: ['auth'], body: signupBody } }, async (request, reply) => {
      const { token, user, username } = await ctx.services.invitations.signup(request.body, request.ip);
      void setSession(reply, token);
      return reply.status(201).send({ user, username });
    });

    // Also the one thing a session opened with a one-time code may do (see password-gate.ts).
    app.post('/me/password', { schema: { tags: ['auth'], body: setPasswordBody } }, async (request, reply) => {
      const { token, user } = await ctx.services.people.setPassword(
        actorOf(request),
        request.body.password,
        request.body.currentPassword,
      );
      void setSession(reply, token);
      return { user };
    });
  };
