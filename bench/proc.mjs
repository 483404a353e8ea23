// Process helpers of the benchmark: whole-process timing, peak RSS by /usr/bin/time -v, medians, peer installs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const TIME_BIN = '/usr/bin/time';

export function median(values) {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Run `cmd args` to completion and return its wall time (ms, spawn included), exit status and captured output.
 * `stdout: 'null'` sends the output to /dev/null (what a conversion to a file costs without our pipe reading it).
 */
export function timeProcess(cmd, args, { timeoutMs = 60_000, stdout = 'pipe', cwd } = {}) {
  const devNull = stdout === 'null' ? fs.openSync('/dev/null', 'w') : undefined;
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, {
      cwd,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return {
      ms,
      status: r.status,
      signal: r.signal,
      error: r.error ? String(r.error.message) : undefined,
      stdout: r.stdout ?? '',
      stderr: r.stderr ?? '',
    };
  } finally {
    if (devNull !== undefined) fs.closeSync(devNull);
  }
}

/** True when a process ran and exited 0. */
export const ok = (r) => !r.error && r.status === 0;

/** Peak RSS (bytes) of one run of `cmd args` by GNU time's "Maximum resident set size"; NaN when unavailable. */
export function peakRss(cmd, args, { timeoutMs = 120_000, cwd } = {}) {
  if (!fs.existsSync(TIME_BIN)) return Number.NaN;
  const r = spawnSync(TIME_BIN, ['-v', cmd, ...args], {
    cwd,
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(r.stderr ?? '');
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/** Whether an executable is on PATH (or at the absolute path given). */
export function hasCommand(cmd) {
  if (cmd.startsWith('/')) return fs.existsSync(cmd);
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Install Debian packages when we are root; returns { installed, ms, note }. Never throws: a peer that cannot be
 * installed is skipped with the note as its reason.
 */
export function aptInstall(packages) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { installed: false, ms: 0, note: `not root: install ${packages.join(' ')} by hand` };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const t0 = Date.now();
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, stdio: 'pipe', timeout: 300_000 });
  if (r.status !== 0) {
    // A fresh machine may have no package lists yet.
    spawnSync('apt-get', ['update'], { env, stdio: 'pipe', timeout: 300_000 });
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, stdio: 'pipe', timeout: 300_000 });
  }
  const ms = Date.now() - t0;
  if (r.status === 0) return { installed: true, ms, note: `apt-get install ${packages.join(' ')}: ${(ms / 1000).toFixed(1)} s` };
  const tail = String(r.stderr ?? r.error ?? '').trim().split('\n').slice(-1)[0];
  return { installed: false, ms, note: `apt-get install ${packages.join(' ')} failed: ${tail}` };
}
