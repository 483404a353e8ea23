/**
 * What a user is told when a fit leaves parameters on the edge of their search window (LeBailResult.atBounds): one
 * sentence for the CLI, a notebook cell and the custom editor. A module of its own so that the editor's bundle does not
 * take the pattern model with it.
 */
export function atBoundsWarning(names: readonly string[]): string {
  return `${names.join(', ')} ended on the edge of the search window, so the fit is not a minimum: check the phase, the wavelength and the range, or start from other cells`;
}
