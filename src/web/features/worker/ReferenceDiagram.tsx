import type { KeypointTemplate } from '../../../core/templates/template';

/**
 * The template's reference figure with the next point highlighted: a worker sees
 * where point 37 sits on a face before placing it.
 */
export function ReferenceDiagram({
  template,
  active,
  size = 180,
}: {
  template: KeypointTemplate;
  active: number | null;
  size?: number;
}) {
  const w = template.refAspect >= 1 ? size : size * template.refAspect;
  const h = template.refAspect >= 1 ? size / template.refAspect : size;
  const pos = (i: number) => [template.points[i].ref[0] * w, template.points[i].ref[1] * h] as const;
  return (
    <svg
      className="reference"
      width={w + 16}
      height={h + 16}
      viewBox={`-8 -8 ${w + 16} ${h + 16}`}
      data-testid="reference"
    >
      {template.skeleton.map(([a, b], i) => {
        const [x1, y1] = pos(a);
        const [x2, y2] = pos(b);
        return <line key={i} x1={x1} y1={y1} x2={x2} y2={y2} stroke="#9aa5b1" strokeWidth={1} />;
      })}
      {template.points.map((p, i) => {
        const [x, y] = pos(i);
        return (
          <circle key={p.id} cx={x} cy={y} r={i === active ? 2.5 : 2} fill={p.color} opacity={i === active ? 1 : 0.6} />
        );
      })}
      {active !== null && active < template.points.length && (
        <circle
          cx={pos(active)[0]}
          cy={pos(active)[1]}
          r={7}
          fill="none"
          stroke="#d6336c"
          strokeWidth={2.5}
          className="pulse"
        />
      )}
    </svg>
  );
}
