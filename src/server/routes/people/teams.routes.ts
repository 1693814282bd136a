import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { invitationBody, projectMembersBody, teamBody, teamMembersBody, teamPatch } from '../../../core/api/people.js';
import { idParam } from '../../../core/api/schemas.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';

/** Teams, who a project is given to, and sign-up invitations. */
export const teamRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const teams = ctx.services.teams;
    const invitations = ctx.services.invitations;

    app.get('/teams', { schema: { tags: ['teams'] } }, async (request) => ({
      teams: await teams.list(actorOf(request)),
    }));
    app.post('/teams', { schema: { tags: ['teams'], body: teamBody } }, async (request, reply) =>
      reply.status(201).send(await teams.create(actorOf(request), request.body)),
    );
    app.patch('/teams/:id', { schema: { tags: ['teams'], params: idParam, body: teamPatch } }, async (request) =>
      teams.update(actorOf(request), request.params.id, request.body),
    );
    app.delete('/teams/:id', { schema: { tags: ['teams'], params: idParam } }, async (request) =>
      teams.delete(actorOf(request), request.params.id),
    );
    app.get('/teams/:id/members', { schema: { tags: ['teams'], params: idParam } }, async (request) => ({
      members: await teams.members(actorOf(request), request.params.id),
    }));
    app.put(
      '/teams/:id/members',
      { schema: { tags: ['teams'], params: idParam, body: teamMembersBody } },
      async (request) => ({
        members: await teams.setMembers(actorOf(request), request.params.id, request.body.userIds),
      }),
    );

    app.get('/projects/:id/members', { schema: { tags: ['teams'], params: idParam } }, async (request) =>
      teams.projectMembers(actorOf(request), request.params.id),
    );
    app.put(
      '/projects/:id/members',
      { schema: { tags: ['teams'], params: idParam, body: projectMembersBody } },
      async (request) =>
        teams.setProjectMembers(actorOf(request), request.params.id, request.body.userIds, request.body.teamIds),
    );
    app.post(
      '/projects/:id/members',
      { schema: { tags: ['teams'], params: idParam, body: projectMembersBody } },
      async (request) =>
        teams.addProjectMembers(actorOf(request), request.params.id, request.body.userIds, request.body.teamIds),
    );

    app.get('/invitations', { schema: { tags: ['invitations'] } }, async (request) => ({
      invitations: await invitations.list(actorOf(request)),
    }));
    app.post('/invitations', { schema: { tags: ['invitations'], body: invitationBody } }, async (request, reply) =>
      reply.status(201).send(await invitations.create(actorOf(request), request.body)),
    );
    app.delete('/invitations/:id', { schema: { tags: ['invitations'], params: idParam } }, async (request) =>
      invitations.revoke(actorOf(request), request.params.id),
    );
  };
