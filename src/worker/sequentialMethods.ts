/**
 * The worker side of a sequential refinement, by method name (`seqBegin`, `seqEstimate`, `seqFit`, `seqEnd`): served by
 * the lean fitting worker (fitWorkerMain.ts) that the pool starts, and by the full worker too (methods.ts). Both call
 * {@link speculatePending} once a reply is posted, so the hinted next fit runs while the reply travels.
 */
import type { FileAccess } from './nodeFiles.ts';
import type { Scan } from '../core/data/scan.ts';
import type { ModelSpec } from './refine.ts';
import { memoizedReader, readScan } from './scanFiles.ts';
import { SequentialJob, type NextHint, type WireSeed } from './sequentialJob.ts';

const jobs = new Map<string, SequentialJob>();

/** Whether `method` is one of the sequential methods. */
export function isSequentialMethod(method: string): boolean {
  return method === 'seqBegin' || method === 'seqEstimate' || method === 'seqFit' || method === 'seqEnd';
}

export function callSequentialMethod(method: string, args: readonly unknown[], files: FileAccess): unknown {
  switch (method) {
    case 'seqBegin': {
      const [jobId, model] = args as [string, ModelSpec];
      const cache = new Map<string, Scan>();
      // The scans of a multi-scan file (`run.nxs#5`) share one read of the file.
      const readFile = memoizedReader(2);
      const read = (file: string) => {
        let s = cache.get(file);
        if (!s) {
          s = readScan(files, file, {}, readFile);
          cache.set(file, s);
          if (cache.size > 4) cache.delete(cache.keys().next().value as string);
        }
        return s;
      };
      jobs.set(jobId, new SequentialJob(model, read));
      return true;
    }
    case 'seqEstimate':
      return job(args[0] as string).estimate(args[1] as string);
    case 'seqFit':
      return job(args[0] as string).fit(args[1] as string, args[2] as number, args[3] as WireSeed, args[4] as NextHint | undefined);
    case 'seqEnd':
      jobs.delete(args[0] as string);
      return true;
    default:
      throw new Error(`unknown sequential method ${method}`);
  }
}

/** Runs the hinted next fit of every job that has one (see sequentialJob.ts). */
export function speculatePending(): void {
  for (const j of jobs.values()) if (j.hasSpeculation) j.speculate();
}

function job(id: string): SequentialJob {
  const j = jobs.get(id);
  if (!j) throw new Error(`no sequential job ${id} in this worker`);
  return j;
}
