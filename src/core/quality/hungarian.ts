/**
 * Optimal assignment (Hungarian method / Kuhn–Munkres with potentials, the
 * shortest-augmenting-path form): O(r²·c) for r ≤ c, so O(n³) for square matrices.
 * Rectangular matrices are fine: every row of the smaller side gets a distinct
 * column (or, with more rows than columns, every column a distinct row).
 *
 * Costs must be finite numbers; to forbid a pair, give it a large cost (or a score of 0
 * when maximising) and drop it from the result afterwards.
 */

export interface Assignment {
  /** Column assigned to each row, or -1. */
  rowToCol: number[];
  /** Row assigned to each column, or -1. */
  colToRow: number[];
  /** Sum of the assigned entries of the input matrix. */
  total: number;
}

/**
 * Solves the assignment problem on a row-major `rows × cols` matrix and returns the
 * column of each row (-1 where rows > cols leaves a row out). Minimises the total unless
 * `maximize`.
 *
 * @example solveAssignment([4, 1, 3, 2, 0, 5, 3, 2, 2], 3, 3) // → Int32Array [1, 0, 2] (total 1 + 2 + 2 = 5)
 */
export function solveAssignment(cost: ArrayLike<number>, rows: number, cols: number, maximize = false): Int32Array {
  if (cost.length !== rows * cols)
    throw new RangeError(`expected ${rows}×${cols} = ${rows * cols} costs, got ${cost.length}`);
  for (let i = 0; i < cost.length; i++) {
    if (!Number.isFinite(cost[i])) throw new RangeError(`cost ${i} is not a finite number: ${cost[i]}`);
  }
  const rowToCol = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return rowToCol;
  // The algorithm below needs n ≤ m: transpose when there are more rows than columns.
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  const sign = maximize ? -1 : 1;
  const a = (i: number, j: number) => sign * (transpose ? cost[j * cols + i] : cost[i * cols + j]);

  // 1-based arrays; p[j] = row (1..n) matched to column j, 0 = free.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= m; j++) {
    if (p[j] === 0) continue;
    if (transpose) rowToCol[j - 1] = p[j] - 1;
    else rowToCol[p[j] - 1] = j - 1;
  }
  return rowToCol;
}

/**
 * Optimal assignment on a matrix given as rows of numbers (all rows the same length).
 *
 * @example
 * hungarian([[0.9, 0.1], [0.8, 0.7]], { maximize: true })
 * // → { rowToCol: [0, 1], colToRow: [0, 1], total: 1.6 }
 */
export function hungarian(matrix: readonly (readonly number[])[], options: { maximize?: boolean } = {}): Assignment {
  const rows = matrix.length;
  const cols = rows > 0 ? matrix[0].length : 0;
  const flat = new Float64Array(rows * cols);
  matrix.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`row ${i} has ${row.length} entries, row 0 has ${cols}`);
    flat.set(row, i * cols);
  });
  const r2c = solveAssignment(flat, rows, cols, options.maximize ?? false);
  const colToRow = new Array<number>(cols).fill(-1);
  let total = 0;
  r2c.forEach((j, i) => {
    if (j < 0) return;
    colToRow[j] = i;
    total += matrix[i][j];
  });
  return { rowToCol: Array.from(r2c), colToRow, total };
}
