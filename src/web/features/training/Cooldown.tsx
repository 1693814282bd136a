/**
 * The wait before an exam retry, counted down from what the server said was left
 * (the server's clock decides; the browser's only measures the time since).
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';

export function formatWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

export function Cooldown({ leftMs }: { leftMs: number }) {
  const { t } = useI18n();
  const [since] = useState(() => performance.now());
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((x) => x + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, leftMs - (performance.now() - since));
  return (
    <p className="cooldown" data-testid="cooldown" data-left-ms={Math.round(left)}>
      {left > 0 ? t('training.exam.cooldown', { time: formatWait(left) }) : t('training.exam.cooldownOver')}
    </p>
  );
}
