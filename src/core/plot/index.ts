/**
 * Pure Vega-Lite spec builders (issue 6), shared by the worker, the notebook renderer, the custom
 * editor and the CLI.
 * Every builder returns a plain JSON-able object; rendering and theming belong to the host.
 */
export * from './analysisSpecs.ts';
export * from './decimate.ts';
export * from './electrochemistrySpecs.ts';
export * from './latticeSpec.ts';
export * from './markers.ts';
export * from './operandoSpec.ts';
export * from './patternSpec.ts';
export * from './spec.ts';
