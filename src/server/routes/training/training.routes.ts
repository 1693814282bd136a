import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParam } from '../../../core/api/primitives.js';
import { assetParam, attemptItemParam, trainingAnswerBody } from '../../../core/api/training.schema.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { sendBlob } from './send-blob.js';

/** Training as workers use it: their courses, lessons, practice with feedback, exams. */
export const trainingRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const learner = ctx.services.learner;
    const exams = ctx.services.exams;
    const tags = ['training'];

    app.get('/training/me', { schema: { tags } }, async (request) => learner.myTraining(actorOf(request)));

    app.get('/training/courses/:id', { schema: { tags, params: idParam } }, async (request) =>
      learner.course(actorOf(request), request.params.id),
    );

    app.get('/training/lessons/:id', { schema: { tags, params: idParam } }, async (request) =>
      learner.lesson(actorOf(request), request.params.id),
    );

    app.get('/training/practice/:id', { schema: { tags, params: idParam } }, async (request) =>
      learner.practiceItem(actorOf(request), request.params.id),
    );

    /** A practice answer: the reference and every point's error in pixels come back at once. */
    app.post(
      '/training/practice/:id/answer',
      { schema: { tags, params: idParam, body: trainingAnswerBody } },
      async (request) => learner.answerPractice(actorOf(request), request.params.id, request.body.data),
    );

    app.post('/training/courses/:id/exam', { schema: { tags, params: idParam } }, async (request, reply) =>
      reply.status(201).send(await exams.start(actorOf(request), request.params.id)),
    );

    app.get('/training/attempts/:id', { schema: { tags, params: idParam } }, async (request) =>
      exams.get(actorOf(request), request.params.id),
    );

    app.put(
      '/training/attempts/:id/answers/:itemId',
      { schema: { tags, params: attemptItemParam, body: trainingAnswerBody } },
      async (request) => exams.answer(actorOf(request), request.params.id, request.params.itemId, request.body.data),
    );

    app.post('/training/attempts/:id/finish', { schema: { tags, params: idParam } }, async (request) =>
      exams.finish(actorOf(request), request.params.id),
    );

    app.get('/training/items/:id/image', { schema: { tags, params: idParam } }, async (request, reply) =>
      sendBlob(ctx, reply, await ctx.services.training.itemImage(actorOf(request), request.params.id)),
    );

    app.get('/training/items/:id/preview', { schema: { tags, params: idParam } }, async (request, reply) =>
      sendBlob(ctx, reply, await ctx.services.training.itemImage(actorOf(request), request.params.id), true),
    );

    app.get('/training/courses/:id/assets/:sha', { schema: { tags, params: assetParam } }, async (request, reply) =>
      sendBlob(
        ctx,
        reply,
        await ctx.services.training.assetImage(actorOf(request), request.params.id, request.params.sha),
      ),
    );
  };
