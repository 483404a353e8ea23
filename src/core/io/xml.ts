/**
 * A small non-validating XML parser over bytes, enough for instrument files (XRDML, BRML, RASX conditions).
 * Elements keep byte ranges of their content, so long numeric lists are parsed in place from the bytes without
 * building strings. Iterative (no recursion), so deep or hostile nesting cannot overflow the stack.
 */
import { ParseError } from './parseError.ts';
import { decodeText, excerpt, scanEnd, scanNumber } from './text.ts';

/** One element: local name (namespace prefix dropped), attributes, children and the byte range of its content. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Byte range of the content between the start and end tags (empty for `<a/>`). */
  innerStart: number;
  innerEnd: number;
}

const MAX_DEPTH = 512;
const MAX_ELEMENTS = 2_000_000;

function isNameByte(b: number): boolean {
  return b > 32 && b !== 62 && b !== 47 && b !== 61 && b !== 34 && b !== 39 && b !== 60;
}

function localName(qname: string): string {
  const c = qname.indexOf(':');
  return c >= 0 ? qname.slice(c + 1) : qname;
}

/** Replaces the five predefined entities and numeric character references. */
export function unescapeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\uFFFD';
    }
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] ?? '';
  });
}

/** Parses an XML document and returns its root element; malformed markup is a ParseError naming the byte. */
export function parseXml(bytes: Uint8Array, format: string): XmlElement {
  const n = bytes.length;
  const fail = (offset: number, expected: string): never => {
    throw new ParseError({ format, offset, expected, found: excerpt(bytes, offset) });
  };
  const stack: XmlElement[] = [];
  const qnames: string[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let i = 0;
  while (i < n) {
    const lt = bytes.indexOf(60, i);
    if (lt < 0) break;
    i = lt;
    const b1 = bytes[i + 1];
    if (b1 === 63) {
      // <? … ?>
      const e = findSeq(bytes, i + 2, [63, 62]);
      if (e < 0) fail(i, "'?>' closing a processing instruction");
      i = e + 2;
      continue;
    }
    if (b1 === 33) {
      if (bytes[i + 2] === 45 && bytes[i + 3] === 45) {
        const e = findSeq(bytes, i + 4, [45, 45, 62]);
        if (e < 0) fail(i, "'-->' closing a comment");
        i = e + 3;
      } else if (bytes[i + 2] === 91) {
        const e = findSeq(bytes, i + 3, [93, 93, 62]);
        if (e < 0) fail(i, "']]>' closing a CDATA section");
        i = e + 3;
      } else {
        const e = bytes.indexOf(62, i);
        if (e < 0) fail(i, "'>' closing a declaration");
        i = e + 1;
      }
      continue;
    }
    if (b1 === 47) {
      // End tag.
      let j = i + 2;
      while (j < n && isNameByte(bytes[j])) j++;
      const qname = decodeText(bytes, i + 2, j);
      while (j < n && bytes[j] <= 32) j++;
      if (bytes[j] !== 62) fail(j, "'>' ending an end tag");
      const open = stack.pop();
      const openName = qnames.pop();
      if (!open || openName !== qname) fail(i, open ? `</${openName}>` : 'no end tag at the top level');
      open!.innerEnd = i;
      i = j + 1;
      continue;
    }
    // Start tag.
    let j = i + 1;
    while (j < n && isNameByte(bytes[j])) j++;
    if (j === i + 1) fail(i + 1, 'an element name');
    const qname = decodeText(bytes, i + 1, j);
    const attrs: Record<string, string> = {};
    let selfClosing = false;
    for (;;) {
      while (j < n && bytes[j] <= 32) j++;
      if (j >= n) fail(j, "'>' ending a start tag");
      const b = bytes[j];
      if (b === 62) {
        j++;
        break;
      }
      if (b === 47) {
        if (bytes[j + 1] !== 62) fail(j, "'/>'");
        selfClosing = true;
        j += 2;
        break;
      }
      const ks = j;
      while (j < n && isNameByte(bytes[j])) j++;
      if (j === ks) fail(j, 'an attribute name');
      const key = decodeText(bytes, ks, j);
      while (j < n && bytes[j] <= 32) j++;
      if (bytes[j] !== 61) fail(j, `'=' after attribute ${key}`);
      j++;
      while (j < n && bytes[j] <= 32) j++;
      const quote = bytes[j];
      if (quote !== 34 && quote !== 39) fail(j, 'a quoted attribute value');
      const ve = bytes.indexOf(quote, j + 1);
      if (ve < 0) fail(j, 'the closing quote of an attribute value');
      attrs[localName(key)] = unescapeXml(decodeText(bytes, j + 1, ve));
      j = ve + 1;
    }
    if (++count > MAX_ELEMENTS) fail(i, `at most ${MAX_ELEMENTS} elements`);
    const el: XmlElement = { name: localName(qname), attrs, children: [], innerStart: j, innerEnd: j };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (root) fail(i, 'a single root element');
    else root = el;
    if (!selfClosing) {
      if (stack.length >= MAX_DEPTH) fail(i, `nesting depth at most ${MAX_DEPTH}`);
      stack.push(el);
      qnames.push(qname);
    }
    i = j;
  }
  if (stack.length) fail(n, `</${qnames[qnames.length - 1]}> before the end of the file`);
  if (!root) fail(0, 'an XML root element');
  return root!;
}

function findSeq(bytes: Uint8Array, from: number, seq: number[]): number {
  let i = from;
  for (;;) {
    const k = bytes.indexOf(seq[0], i);
    if (k < 0) return -1;
    let ok = true;
    for (let s = 1; s < seq.length; s++) if (bytes[k + s] !== seq[s]) ok = false;
    if (ok) return k;
    i = k + 1;
  }
}

/** First child with the given local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** All children with the given local name. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Follows a path of child names. */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const nm of names) cur = child(cur, nm);
  return cur;
}

/** All descendants (depth first, iterative) with the given local name. */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const todo: XmlElement[] = [el];
  while (todo.length) {
    const e = todo.pop()!;
    if (e.name === name && e !== el) out.push(e);
    for (let k = e.children.length - 1; k >= 0; k--) todo.push(e.children[k]);
  }
  return out;
}

/** Text content of an element (markup of children removed, CDATA kept, entities resolved), trimmed. */
export function text(bytes: Uint8Array, el: XmlElement | undefined): string {
  if (!el) return '';
  const raw = decodeText(bytes, el.innerStart, el.innerEnd);
  const noMarkup = el.children.length || raw.includes('<') ? raw.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|<[^>]*>/g, (_, c) => c ?? '') : raw;
  return unescapeXml(noMarkup).trim();
}

/** Number in an element's text, or undefined. */
export function numberOf(bytes: Uint8Array, el: XmlElement | undefined): number | undefined {
  const s = text(bytes, el);
  if (!s) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Parses a whitespace-separated list of numbers in an element's content, in place (no string is built).
 * A token that is not a number is a ParseError at its byte offset.
 */
export function numberList(bytes: Uint8Array, el: XmlElement, format: string): Float64Array {
  const start = el.innerStart;
  const end = el.innerEnd;
  let count = 0;
  let inTok = false;
  for (let i = start; i < end; i++) {
    const ws = bytes[i] <= 32;
    if (!ws && !inTok) count++;
    inTok = !ws;
  }
  const out = new Float64Array(count);
  let k = 0;
  let i = start;
  while (i < end) {
    while (i < end && bytes[i] <= 32) i++;
    if (i >= end) break;
    const v = scanNumber(bytes, i, end, 46);
    const e = scanEnd;
    if (e === i || (e < end && bytes[e] > 32)) {
      throw new ParseError({ format, offset: i, expected: 'a number in a list', found: excerpt(bytes, i, 20) });
    }
    out[k++] = v;
    i = e;
  }
  return out;
}
