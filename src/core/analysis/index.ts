/** The analyses of the unified picture (issue 6): pure functions over results tables. */
export * from './analyzeResults.ts';
export * from './biphasicRegions.ts';
export * from './characteristicContents.ts';
export * from './heterogeneityStrain.ts';
export * from './localPolynomial.ts';
export * from './masterCurve.ts';
export * from './mergeEqualAbscissae.ts';
export * from './peakWarping.ts';
export * from './rollingMean.ts';
export * from './savitzkyGolay.ts';
export * from './seededRandom.ts';
export * from './splitMonotonicBranches.ts';
export * from './stateOfChargeWindow.ts';
