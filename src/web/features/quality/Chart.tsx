import { useEffect, useRef } from 'react';

/** An ECharts chart; the library loads the first time a chart is shown. */
export function Chart({
  option,
  height = 260,
  testId,
}: {
  option: Record<string, unknown>;
  height?: number;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { setOption: (o: unknown) => void; dispose: () => void; resize: () => void } | undefined;
    let disposed = false;
    const onResize = () => chart?.resize();
    void import('./charts').then(({ echarts }) => {
      if (disposed || !el.current) return;
      chart = echarts.init(el.current);
      chart.setOption(option);
      window.addEventListener('resize', onResize);
      el.current.dataset.ready = '1';
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={el} style={{ width: '100%', height }} data-testid={testId} />;
}
