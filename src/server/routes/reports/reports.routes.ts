import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { employmentQuery, employmentReportResponse } from '../../../core/api/report.schema.js';
import { actorOf } from '../../app.js';
import type { Context } from '../../context.js';
import { XLSX_MIME } from '../../services/report-xlsx.js';

export const reportRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    const reports = ctx.services.reports;

    app.get(
      '/reports/employment',
      { schema: { tags: ['reports'], querystring: employmentQuery, response: { 200: employmentReportResponse } } },
      async (request) => reports.employment(actorOf(request), request.query),
    );
    app.get(
      '/reports/employment.xlsx',
      { schema: { tags: ['reports'], querystring: employmentQuery } },
      async (request, reply) => {
        const { filename, body } = await reports.employmentXlsx(actorOf(request), request.query);
        return reply
          .type(XLSX_MIME)
          .header('content-disposition', `attachment; filename="${filename}"`)
          .header('cache-control', 'no-store')
          .send(body);
      },
    );
  };
