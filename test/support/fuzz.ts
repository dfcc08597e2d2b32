import type { Parameters } from 'fast-check';

/** The seed every property runs with, so that CI runs the same cases each time; FUZZ_SEED explores others. */
export const FUZZ_SEED = 20261202;

/**
 * fast-check's parameters for a property: a fixed number of runs (FUZZ_RUNS_SCALE multiplies them, for a longer local run) and
 * a fixed seed (FUZZ_SEED changes it). A failure prints its seed and path, which reproduce it.
 */
export function fuzzRuns(numRuns: number): Parameters<unknown> {
  const scale = Number(process.env.FUZZ_RUNS_SCALE ?? 1);
  const seed = Number(process.env.FUZZ_SEED ?? FUZZ_SEED);
  return { numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) ? scale : 1))), seed };
}
