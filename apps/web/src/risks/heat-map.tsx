/**
 * The 5×5 risk heat map: probability up, impact across, each cell the number of risks there,
 * coloured by the level its score (probability × impact) falls in.
 */
import { heatMapCount, riskLevel, type HeatMap } from '@lib/plan-domain';

const SCALE = [1, 2, 3, 4, 5] as const;

export function RiskHeatMap({ heatMap, caption }: { heatMap: HeatMap; caption: string }) {
  return (
    <table className="heat-map" aria-label={caption}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className="axis-corner">
            <span className="sr-only">Probability by impact</span>
          </th>
          {SCALE.map((impact) => (
            <th key={impact} scope="col">
              <span className="sr-only">impact </span>
              {impact}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {[...SCALE].reverse().map((probability) => (
          <tr key={probability}>
            <th scope="row">
              <span className="sr-only">probability </span>
              {probability}
            </th>
            {SCALE.map((impact) => {
              const count = heatMapCount(heatMap, probability, impact);
              return (
                <td
                  key={impact}
                  className={`heat ${riskLevel(probability * impact)}${count ? ' filled' : ''}`}
                  data-probability={probability}
                  data-impact={impact}
                  data-count={count}
                  aria-label={`probability ${probability}, impact ${impact}: ${count} risk${count === 1 ? '' : 's'}`}
                >
                  {count || ''}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td />
          <td colSpan={5} className="axis-label">
            impact →
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
