import { describe, expect, it } from 'vitest';
import { body17, face5, face68 } from '../templates/index.js';
import { BROWS, EYES, FaceSim, flatOf } from './face-fixture.js';
import { detectRegionSwapsFlat, exchangePairs, flipRegions, swapLabel } from './swap-regions.js';

describe('flip regions', () => {
  it('groups the flip pairs of the built-in templates by region', () => {
    expect(flipRegions(face68).map((r) => [r.key, r.pairs.length])).toEqual([
      ['jaw', 8],
      ['brow', 5],
      ['nose_bottom', 2],
      ['eye', 6],
      ['outer_lips', 5],
      ['inner_lips', 3],
    ]);
    expect(flipRegions(face5).map((r) => r.key)).toEqual(['eyes', 'mouth']);
    expect(flipRegions(body17).map((r) => r.key)).toEqual(['head', 'arm', 'leg']);
  });

  it('names swaps in both languages, and a swap of every region as a whole one', () => {
    expect(swapLabel(['brow'], face68)).toEqual({ zh: '左右眉毛互换', en: 'left and right eyebrows swapped' });
    expect(swapLabel(['eye', 'jaw'], face68).zh).toBe('左右眼睛、下颌轮廓互换');
    expect(
      swapLabel(
        flipRegions(face68).map((r) => r.key),
        face68,
      ).zh,
    ).toBe('整体左右互换');
  });
});

describe('detectRegionSwapsFlat', () => {
  const sim = new FaceSim(3);
  const truth = sim.face();
  const norm = Math.hypot(truth.points[36][0] - truth.points[45][0], truth.points[36][1] - truth.points[45][1]);

  it('finds exactly the swapped region', () => {
    const found = detectRegionSwapsFlat(flatOf(sim.answer(truth, 0.012, BROWS)), flatOf(truth), norm, face68);
    expect(found.filter((r) => r.swappedPairs.length).map((r) => r.key)).toEqual(['brow']);
    const eyes = detectRegionSwapsFlat(flatOf(sim.answer(truth, 0.012, EYES)), flatOf(truth), norm, face68);
    expect(eyes.filter((r) => r.swappedPairs.length).map((r) => r.key)).toEqual(['eye']);
  });

  it('never flags careful or sloppy noise in 500 answers each', () => {
    for (const sigma of [0.015, 0.035]) {
      let flagged = 0;
      for (let k = 0; k < 500; k++) {
        const found = detectRegionSwapsFlat(flatOf(sim.answer(truth, sigma)), flatOf(truth), norm, face68);
        if (found.some((r) => r.swappedPairs.length)) flagged++;
      }
      expect(flagged, `σ ${sigma}`).toBe(0);
    }
  });

  it('does not test pairs whose sides lie close together (the inner lips but their corners)', () => {
    const close = [61, 63, 65, 67];
    const found = detectRegionSwapsFlat(flatOf(sim.answer(truth, 0, close)), flatOf(truth), norm, face68);
    expect(found.filter((r) => r.swappedPairs.length)).toEqual([]);
    const corners = detectRegionSwapsFlat(flatOf(sim.answer(truth, 0, [60, 64])), flatOf(truth), norm, face68);
    // The corners are the region's only pair far enough apart to tell: the region reads as swapped.
    expect(corners.filter((r) => r.swappedPairs.length).map((r) => r.key)).toEqual(['inner_lips']);
  });

  it('exchanging the swapped pairs back restores the answer', () => {
    const row = flatOf(sim.answer(truth, 0, BROWS));
    const [brow] = detectRegionSwapsFlat(row, flatOf(truth), norm, face68).filter((r) => r.swappedPairs.length);
    exchangePairs(row, brow.swappedPairs);
    expect(Array.from(row)).toEqual(Array.from(flatOf(truth)));
  });
});
