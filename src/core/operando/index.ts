/**
 * Operando pipeline (issue 5): composition → molar mass, active mass, cycler records → c_Li
 * timeline, pattern times,
 * alignment, the sequential refinement driver, the results table and its CSV.
 */
export * from './activeMass.ts';
export * from './align.ts';
export * from './composition.ts';
export * from './csv.ts';
export * from './differentialCapacity.ts';
export * from './hash.ts';
export * from './interpolate.ts';
export * from './lithium.ts';
export * from './lithiumTable.ts';
export * from './naturalSort.ts';
export * from './resultsTable.ts';
export * from './sequential.ts';
export * from './seriesTimes.ts';
export * from './time.ts';
