// Mutation fuzzing of the electrochemistry readers (diffraction readers and detection: fuzz.test.ts; two files so both
// run in parallel). Each mutated input gives a well-formed result or a ParseError, nothing else. Seeded.
import { fuzzFormats } from './mutate.ts';

fuzzFormats('electrochemistry');
