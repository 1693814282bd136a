import { useState } from 'react';
import {
  DEFAULT_EXPORT_OPTIONS,
  EXPORT_MODES,
  exportQueryString,
  UNFINISHED_CHOICES,
  type ExportOptions,
} from '../../../core/api/export-options';
import type { User } from '../../api';
import { useI18n } from '../../i18n';

/**
 * The COCO download with its options: by default the final dataset. The audit (every
 * answer with its status) is for the base's staff and gold references for managers,
 * as the server enforces; the form only offers what the user may ask for.
 */
export function ExportForm({ projectId, user }: { projectId: number; user: User }) {
  const { t } = useI18n();
  const [options, setOptions] = useState<ExportOptions>(DEFAULT_EXPORT_OPTIONS);
  const set = (patch: Partial<ExportOptions>) => setOptions((o) => ({ ...o, ...patch }));
  const modes = user.role === 'client' ? EXPORT_MODES.filter((m) => m !== 'all') : EXPORT_MODES;
  const canGold = user.role === 'admin' || user.role === 'manager';
  const href = `/api/projects/${projectId}/export/coco${exportQueryString(options)}`;
  return (
    <form className="row wrap export-form" data-testid="export-form" onSubmit={(e) => e.preventDefault()}>
      <label>
        {t('export.mode')}{' '}
        <select
          name="mode"
          value={options.mode}
          onChange={(e) => set({ mode: e.target.value as ExportOptions['mode'] })}
        >
          {modes.map((m) => (
            <option key={m} value={m}>
              {t(`export.mode.${m}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('export.unfinished')}{' '}
        {options.mode === 'all' ? (
          <span className="muted small">{t('export.unfinished.listed')}</span>
        ) : (
          <select
            name="unfinished"
            value={options.unfinished}
            onChange={(e) => set({ unfinished: e.target.value as ExportOptions['unfinished'] })}
          >
            {UNFINISHED_CHOICES.map((u) => (
              <option key={u} value={u}>
                {t(`export.unfinished.${u}`)}
              </option>
            ))}
          </select>
        )}
      </label>
      {canGold && (
        <label>
          <input
            type="checkbox"
            name="includeGold"
            checked={options.includeGold}
            onChange={(e) => set({ includeGold: e.target.checked })}
          />{' '}
          {t('export.includeGold')}
        </label>
      )}
      <a className="button" href={href} download data-testid="export">
        {t('project.export')}
      </a>
    </form>
  );
}
