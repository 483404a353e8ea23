/**
 * The only module that knows about @vscode/webview-ui-toolkit (deprecated upstream in 2025). The editor asks for
 * "a button", "a dropdown", "a text field"; swapping the toolkit for plain elements or another library means
 * changing this file alone. Every control gets an accessible label.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
  vsCodeProgressRing,
  vsCodeDivider,
} from '@vscode/webview-ui-toolkit';

let registered = false;
export function registerComponents(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField(), vsCodeProgressRing(), vsCodeDivider());
  registered = true;
}

export function button(label: string, onClick: () => void, options: { appearance?: 'primary' | 'secondary'; id?: string; title?: string } = {}): HTMLElement {
  const el = document.createElement('vscode-button');
  el.textContent = label;
  el.setAttribute('appearance', options.appearance ?? 'secondary');
  if (options.id) el.id = options.id;
  el.setAttribute('aria-label', options.title ?? label);
  if (options.title) el.title = options.title;
  el.addEventListener('click', onClick);
  return el;
}

/** A labelled dropdown; `onChange` receives the selected value. */
export function dropdown(
  label: string,
  choices: readonly { value: string; label: string }[],
  selected: string,
  onChange: (value: string) => void,
  id?: string,
): HTMLElement {
  const wrap = document.createElement('label');
  wrap.className = 'control';
  const caption = document.createElement('span');
  caption.textContent = label;
  const el = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  if (id) el.id = id;
  el.setAttribute('aria-label', label);
  for (const c of choices) {
    const opt = document.createElement('vscode-option') as HTMLElement & { value: string };
    opt.setAttribute('value', c.value);
    opt.textContent = c.label;
    if (c.value === selected) opt.setAttribute('selected', '');
    el.appendChild(opt);
  }
  el.addEventListener('change', () => onChange(el.value));
  wrap.append(caption, el);
  return wrap;
}

export function textField(label: string, value: string, onChange: (value: string) => void, id?: string): HTMLElement {
  const el = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  el.setAttribute('value', value);
  el.textContent = label;
  if (id) el.id = id;
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

export function progressRing(): HTMLElement {
  return document.createElement('vscode-progress-ring');
}

export function divider(): HTMLElement {
  return document.createElement('vscode-divider');
}

/** A plain, keyboard-navigable table (the toolkit's data grid is heavy for thousands of rows). */
export function dataTable(columns: readonly string[], rows: readonly (readonly (string | number)[])[], caption?: string): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'data-table';
  if (caption) table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const v of r) tr.insertCell().textContent = typeof v === 'number' ? formatNumber(v) : v;
  }
  return table;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(4);
  return String(Number(v.toPrecision(6)));
}
