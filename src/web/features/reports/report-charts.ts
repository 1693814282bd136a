/**
 * ECharts options for the employment report: head counts by household status, and the
 * monthly trend of head counts with income on a second axis.
 */
import type { EmploymentReport } from '../../../core/report/employment-types';
import type { Locale, MessageKey } from '../../i18n';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

export function householdOption(report: EmploymentReport, locale: Locale, t: T) {
  const rows = report.byHousehold.rows;
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 20, bottom: 60 },
    xAxis: {
      type: 'category',
      data: rows.map((r) => (locale === 'en' ? r.labelEn : r.labelZh) || t('report.notGiven')),
      // Long status names wrap instead of running into each other on a phone.
      axisLabel: { interval: 0, rotate: rows.length > 4 ? 20 : 0, width: 60, overflow: 'break' },
    },
    yAxis: { type: 'value', minInterval: 1, name: t('report.workers') },
    series: [
      {
        type: 'bar',
        // A group under the threshold has no number to draw; its label says "<3".
        data: rows.map((r) =>
          typeof r.workers === 'number' ? r.workers : { value: 0, label: { show: true, formatter: '<3' } },
        ),
        label: { show: true, position: 'top' },
        itemStyle: { color: '#127a5a' },
      },
    ],
  };
}

export function trendOption(report: EmploymentReport, t: T) {
  const months = report.trend.map((m) => m.month);
  const bar = (key: 'workers' | 'activeWorkers' | 'newWorkers' | 'leavingWorkers', color: string) => ({
    name: t(`report.${key}`),
    type: 'bar',
    data: report.trend.map((m) => m[key]),
    itemStyle: { color },
  });
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 50, right: 60, top: 60, bottom: 30 },
    xAxis: { type: 'category', data: months },
    yAxis: [
      { type: 'value', minInterval: 1, name: t('report.workers') },
      { type: 'value', name: t('report.incomeYuan'), splitLine: { show: false } },
    ],
    series: [
      bar('workers', '#127a5a'),
      bar('activeWorkers', '#4dabf7'),
      bar('newWorkers', '#82c91e'),
      bar('leavingWorkers', '#f59f00'),
      {
        name: t('report.incomeYuan'),
        type: 'line',
        yAxisIndex: 1,
        data: report.trend.map((m) => m.incomeFen / 100),
        itemStyle: { color: '#d9480f' },
      },
    ],
  };
}
