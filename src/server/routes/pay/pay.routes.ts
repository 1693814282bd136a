import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  paySettingsBody,
  payoutBody,
  periodParam,
  periodQuery,
  projectPayBody,
  workerLedgerParams,
} from '../../../core/api/pay.schema.js';
import { idParam } from '../../../core/api/primitives.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { payrollCsv, payrollXlsx, XLSX_MIME } from '../../services/payroll-sheet.js';
import { earningsForWorker } from '../../presenters/worker-ids.presenter.js';
import { workerIdsFor } from '../../services/worker-ids.js';

export const payRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const pay = ctx.services.pay;
    const tags = ['pay'];

    app.get('/pay/periods', { schema: { tags } }, async (request) => pay.periods(actorOf(request)));
    app.post('/pay/periods/:period/close', { schema: { tags, params: periodParam } }, async (request) =>
      pay.closePeriod(actorOf(request), request.params.period),
    );

    app.get('/pay/payroll', { schema: { tags, querystring: periodQuery } }, async (request) =>
      pay.payrollFor(actorOf(request), request.query.period),
    );
    app.get('/pay/payroll.xlsx', { schema: { tags, querystring: periodQuery } }, async (request, reply) => {
      const payroll = await pay.payrollFor(actorOf(request), request.query.period);
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', `attachment; filename="shugu-payroll-${payroll.period}.xlsx"`)
        .send(await payrollXlsx(payroll, new Date(ctx.clock.now())));
    });
    app.get('/pay/payroll.csv', { schema: { tags, querystring: periodQuery } }, async (request, reply) => {
      const payroll = await pay.payrollFor(actorOf(request), request.query.period);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="shugu-payroll-${payroll.period}.csv"`)
        .send(payrollCsv(payroll));
    });
    app.get('/pay/fair-pay', { schema: { tags, querystring: periodQuery } }, async (request) =>
      pay.fairPay(actorOf(request), request.query.period),
    );

    app.get(
      '/pay/workers/:workerId/ledger',
      { schema: { tags, params: workerLedgerParams, querystring: periodQuery } },
      async (request) => pay.workerLedger(actorOf(request), request.params.workerId, request.query.period ?? null),
    );
    app.post('/pay/payouts', { schema: { tags, body: payoutBody } }, async (request, reply) => {
      const payout = await pay.recordPayout(actorOf(request), request.body);
      return reply.status(payout.duplicate ? 200 : 201).send(payout);
    });

    app.get('/pay/settings', { schema: { tags } }, async (request) => pay.settings(actorOf(request)));
    app.put('/pay/settings', { schema: { tags, body: paySettingsBody } }, async (request) =>
      pay.updateSettings(actorOf(request), request.body.minHourlyWageFen),
    );
    app.get('/projects/:id/pay', { schema: { tags, params: idParam } }, async (request) =>
      pay.projectPay(actorOf(request), request.params.id),
    );
    app.put('/projects/:id/pay', { schema: { tags, params: idParam, body: projectPayBody } }, async (request) =>
      pay.updateProjectPay(actorOf(request), request.params.id, request.body),
    );

    // Answers are listed under the opaque ids the worker saw when she sent them (services/worker-ids.ts).
    app.get('/me/earnings', { schema: { tags } }, async (request) =>
      earningsForWorker(await workerIdsFor(ctx.db), await ctx.services.earnings.mine(actorOf(request))),
    );
  };
