/** Messages between the custom editor's webview and the extension host. Arrays are plain numbers (JSON-safe). */

export interface WavelengthView {
  readonly angstrom: number;
  readonly ratio: number;
  readonly source: string;
  readonly label?: string;
}

/** One diffraction scan as the webview draws it. `x` is in the scan's native axis and unit. */
export interface ScanView {
  readonly label: string;
  readonly axis: 'twoTheta' | 'q' | 'd';
  readonly unit: string;
  readonly x: number[];
  readonly y: number[];
  readonly sigma?: number[];
  readonly wavelengths: WavelengthView[];
  /** The dominant line, Å, or null when the file gives none (then 2θ ↔ q ↔ d is unavailable). */
  readonly wavelengthAngstrom: number | null;
  readonly intensityKind: string;
  readonly startTime?: string;
  readonly metadata: Record<string, string>;
  /** Automatic peak list: position in the native axis, height above background, FWHM in the native unit. */
  readonly peaks: { readonly x: number; readonly height: number; readonly fwhm: number }[];
}

export interface EchemView {
  readonly records: number;
  readonly columns: Record<string, number[]>;
  readonly units: Record<string, string>;
  readonly startTime?: string;
  readonly metadata: Record<string, string>;
}

export interface FitView {
  readonly scanIndex: number;
  readonly phase: string;
  readonly a: number;
  readonly aSigma: number;
  readonly c: number;
  readonly cSigma: number;
  readonly Rwp: number;
  readonly gof: number;
  readonly stopReason: string;
  /** Parameters that ended on the edge of their search window: the fit ran away (shown as a warning). */
  readonly atBounds: readonly string[];
  /** Calculated curve and difference on the scan's x. */
  readonly calculated: number[];
  readonly difference: number[];
  readonly reflections: { readonly x: number; readonly hkl: string }[];
}

export type ToEditor =
  | { readonly type: 'loading'; readonly file: string; readonly bytes: number }
  | { readonly type: 'diffraction'; readonly file: string; readonly format: string; readonly scans: ScanView[]; readonly metadata: Record<string, string>; readonly warnings: string[] }
  | { readonly type: 'electrochemistry'; readonly file: string; readonly format: string; readonly record: EchemView; readonly warnings: string[] }
  | { readonly type: 'error'; readonly file: string; readonly message: string }
  | { readonly type: 'fitProgress'; readonly message: string }
  | { readonly type: 'fitResult'; readonly fit: FitView }
  | { readonly type: 'fitError'; readonly message: string }
  | {
      readonly type: 'lithium';
      readonly lithium: {
        readonly activeMassMg: number;
        readonly molarMassGPerMol: number;
        /** How the current's sign was read, one line per record. */
        readonly signs: string[];
        readonly voltageSpec: Record<string, unknown>;
        readonly dqdvSpec: Record<string, unknown>;
      };
    };

export type FromEditor =
  | { readonly type: 'ready' }
  | { readonly type: 'fit'; readonly scanIndex: number; readonly phase: string; readonly wavelengthAngstrom?: number }
  | { readonly type: 'cancelFit' }
  | { readonly type: 'export'; readonly format: 'csv' | 'svg' | 'png'; readonly scanIndex: number; readonly content?: string }
  | { readonly type: 'lithium'; readonly activeMassMg: number; readonly composition: string; readonly timeZone: string }
  | { readonly type: 'newNotebook' }
  | { readonly type: 'reopenAsText' };
