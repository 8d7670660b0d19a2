/** An analysis that cannot run on its input (no cell, too few frames, bad parameters). */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError';
}
