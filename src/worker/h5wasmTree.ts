/**
 * The core's {@link HdfTree} backed by h5wasm (the HDF5 C library compiled to WebAssembly). Loaded only by the
 * HDF5 worker thread (hdf5Worker.ts), never by the extension host or the kernel's own thread: a wasm runtime can
 * abort or hang on a damaged file, and the caller (hdf5.ts) then stops the whole thread.
 */
import * as h5wasm from 'h5wasm';
import type { HdfAttribute, HdfDatasetInfo, HdfTree } from '../core/io/nexus.ts';

/** h5wasm's metadata `type` codes (H5T_class_t): 0 integer, 1 float, 3 string. */
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;

/** Largest dataset read, in values (400 MB as Float64): a 1D series is far smaller; more is a damaged header. */
const MAX_DATASET_VALUES = 50_000_000;

/** Attribute arrays longer than this are left out (a huge attribute is never an axis name or a unit). */
const MAX_ATTRIBUTE_VALUES = 1000;

function toAttribute(v: unknown): HdfAttribute | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const arr = Array.from(v as ArrayLike<unknown>);
    if (arr.length > MAX_ATTRIBUTE_VALUES) return undefined;
    const out: (string | number)[] = [];
    for (const e of arr) {
      if (typeof e === 'string' || typeof e === 'number') out.push(e);
      else if (typeof e === 'bigint') out.push(Number(e));
      else return undefined;
    }
    return out;
  }
  return undefined;
}

/** IEEE 754 half precision to a number (h5wasm has no Float16Array on Node 20; scimap stores some tables so). */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

interface RawModule {
  _malloc(n: number): number;
  _free(p: number): void;
  HEAPU8: Uint8Array;
  get_dataset_data(fileId: bigint, path: string, count: null, offset: null, stride: null, ptr: bigint): number;
}

/** The raw bytes of a dataset, read the way h5wasm's own value getter does. */
function rawBytes(ds: h5wasm.Dataset, nbytes: number): Uint8Array {
  const module = h5wasm.Module as unknown as RawModule;
  const ptr = module._malloc(Math.max(1, nbytes));
  if (!ptr) throw new Error(`cannot allocate ${nbytes} bytes for ${ds.path}`);
  try {
    module.get_dataset_data(ds.file_id, ds.path, null, null, null, BigInt(ptr));
    return module.HEAPU8.slice(ptr, ptr + nbytes);
  } finally {
    module._free(ptr);
  }
}

/** An {@link HdfTree} over an open h5wasm file. */
export function h5wasmTree(file: h5wasm.File): HdfTree {
  const get = (path: string): h5wasm.Group | h5wasm.Dataset | undefined => {
    if (path === '/') return file;
    const e = file.get(path);
    return e instanceof h5wasm.Group || e instanceof h5wasm.Dataset ? e : undefined;
  };
  const dataset = (path: string): h5wasm.Dataset => {
    const e = get(path);
    if (!(e instanceof h5wasm.Dataset)) throw new Error(`${path} is not a dataset`);
    return e;
  };
  return {
    kind: (path) => {
      const e = get(path);
      return e instanceof h5wasm.Dataset ? 'dataset' : e instanceof h5wasm.Group ? 'group' : undefined;
    },
    keys: (path) => {
      const e = get(path);
      return e instanceof h5wasm.Group ? e.keys() : [];
    },
    attrs: (path) => {
      const e = get(path);
      const out: Record<string, HdfAttribute> = {};
      if (!e) return out;
      for (const [name, attr] of Object.entries(e.attrs)) {
        let v: HdfAttribute | undefined;
        try {
          v = toAttribute(attr.json_value);
        } catch {
          // An attribute of a type h5wasm cannot decode (float16, compound) says nothing the reader uses.
          v = undefined;
        }
        if (v !== undefined) out[name] = v;
      }
      return out;
    },
    info: (path): HdfDatasetInfo => {
      const m = dataset(path).metadata;
      const type = m.type === H5T_INTEGER || (m.type === H5T_FLOAT && m.size <= 8) ? 'number' : m.type === H5T_STRING ? 'string' : 'other';
      return { shape: m.shape ?? [], type, elementBytes: m.size };
    },
    numbers: (path) => {
      const ds = dataset(path);
      const m = ds.metadata;
      const total = m.total_size;
      // A damaged header can declare billions of values: refuse before allocating (an allocation that size would
      // end the process, not just this read).
      if (!(total >= 0 && total <= MAX_DATASET_VALUES)) throw new Error(`${path} declares ${total} values (at most ${MAX_DATASET_VALUES} are read)`);
      const out = new Float64Array(total);
      if (m.type === H5T_FLOAT && m.size === 2) {
        const raw = rawBytes(ds, 2 * total);
        const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
        for (let k = 0; k < total; k++) out[k] = half(dv.getUint16(2 * k, m.littleEndian));
        return out;
      }
      const v = ds.value;
      if (typeof v === 'number' || typeof v === 'bigint') out[0] = Number(v);
      else if (ArrayBuffer.isView(v)) {
        const a = v as unknown as ArrayLike<number | bigint>;
        for (let k = 0; k < total && k < a.length; k++) out[k] = Number(a[k]);
      } else throw new Error(`${path}: not a numeric dataset`);
      for (let k = 0; k < total; k++) if (!Number.isFinite(out[k])) out[k] = NaN;
      return out;
    },
    strings: (path) => {
      const v = dataset(path).value;
      if (typeof v === 'string') return [v];
      if (Array.isArray(v)) return v.map(String);
      throw new Error(`${path}: not a string dataset`);
    },
  };
}
