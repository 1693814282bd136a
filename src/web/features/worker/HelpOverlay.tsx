import { SHORTCUTS, formatKeys, type ShortcutGroup } from '../../editor';
import { useI18n, type MessageKey } from '../../i18n';

const GROUPS: ShortcutGroup[] = ['points', 'edit', 'instances', 'tools', 'view', 'task'];

/** Lists every shortcut straight from the one table that binds them. */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  return (
    <div className="overlay-backdrop" onClick={onClose} data-testid="help-overlay">
      <div className="card help" onClick={(e) => e.stopPropagation()}>
        <h3>{t('shortcut.title')}</h3>
        <div className="help-grid">
          {GROUPS.map((g) => (
            <div key={g}>
              <h4>{t(`shortcut.group.${g}` as MessageKey)}</h4>
              <table>
                <tbody>
                  {SHORTCUTS.filter((s) => s.group === g).map((s) => (
                    <tr key={s.id}>
                      <td>
                        {formatKeys(s, mac ? 'mac' : 'other').map((k) => (
                          <kbd key={k}>{k}</kbd>
                        ))}
                      </td>
                      <td>{t(s.description as MessageKey)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </div>
        <button onClick={onClose}>{t('app.back')}</button>
      </div>
    </div>
  );
}
