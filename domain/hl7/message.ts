import { TZDate } from '@date-fns/tz';

/**
 * HL7 v2 messages (pipe-and-hat encoding): parsing, delimiters from MSH-1/MSH-2, escape sequences, and the
 * TS/DTM and DT data types. Fields are split lazily; every `get` returns the unescaped text, '' when absent.
 * A component that is exactly `""` (the explicit null) reads as ''; ask `Hl7Field.isExplicitNull` for it.
 */

export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export class Hl7ParseError extends Error {
  readonly reason: string;
  readonly segment?: string;
  /** 1-based segment index */
  readonly sequence?: number;
  readonly field?: number;
  constructor(reason: string, where: { segment?: string; sequence?: number; field?: number } = {}) {
    const at = [where.segment, where.sequence && `#${where.sequence}`, where.field && `field ${where.field}`]
      .filter(Boolean)
      .join(' ');
    super(at ? `${reason} (${at})` : reason);
    this.name = 'Hl7ParseError';
    this.reason = reason;
    this.segment = where.segment;
    this.sequence = where.sequence;
    this.field = where.field;
  }
}

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;

export class Hl7Message {
  readonly raw: string;
  readonly delimiters: Delimiters;
  readonly segments: Hl7Segment[];

  private constructor(raw: string, delimiters: Delimiters, segments: Hl7Segment[]) {
    this.raw = raw;
    this.delimiters = delimiters;
    this.segments = segments;
  }

  /** Segments split on CR (also LF or CRLF); MSH must come first. Throws Hl7ParseError. */
  static parse(text: string): Hl7Message {
    if (typeof text !== 'string') throw new Hl7ParseError('message is not text');
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const lines = body.split(/\r\n|\r|\n/);
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
    if (lines.length === 0) throw new Hl7ParseError('empty message');
    const first = lines[0]!;
    if (!first.startsWith('MSH')) {
      throw new Hl7ParseError('the message does not start with an MSH segment', {
        segment: first.slice(0, 3),
        sequence: 1,
      });
    }
    if (first.length < 8) throw new Hl7ParseError('MSH segment truncated', { segment: 'MSH', sequence: 1 });
    const fieldSep = first[3]!;
    const encEnd = first.indexOf(fieldSep, 4);
    const encoding = encEnd === -1 ? first.slice(4) : first.slice(4, encEnd);
    if (encoding.length < 4 || encoding.length > 5) {
      throw new Hl7ParseError('MSH-2 must hold four encoding characters', {
        segment: 'MSH',
        sequence: 1,
        field: 2,
      });
    }
    const delimiters: Delimiters = {
      field: fieldSep,
      component: encoding[0]!,
      repetition: encoding[1]!,
      escape: encoding[2]!,
      subcomponent: encoding[3]!,
    };
    const all = [fieldSep, ...encoding.slice(0, 4)];
    if (new Set(all).size !== all.length || all.some((c) => /[A-Za-z0-9\s]/.test(c))) {
      throw new Hl7ParseError('MSH-1/MSH-2 delimiters must be distinct punctuation', {
        segment: 'MSH',
        sequence: 1,
        field: 2,
      });
    }
    if (encEnd === -1)
      throw new Hl7ParseError('MSH segment truncated after MSH-2', { segment: 'MSH', sequence: 1 });
    const segments = lines.map((line, i) => {
      const name = line.slice(0, 3);
      if (!SEGMENT_NAME.test(name) || (line.length > 3 && line[3] !== fieldSep)) {
        throw new Hl7ParseError(
          'malformed segment: expected a three-character name and the field separator',
          {
            segment: name,
            sequence: i + 1,
          },
        );
      }
      if (i > 0 && name === 'MSH') {
        throw new Hl7ParseError('a second MSH segment: batches are not accepted', {
          segment: 'MSH',
          sequence: i + 1,
        });
      }
      return new Hl7Segment(name, line, delimiters, i + 1);
    });
    const message = new Hl7Message(body, delimiters, segments);
    const header = segments[0]!;
    if (!header.field(9).isPresent) {
      throw new Hl7ParseError('MSH-9 (message type) is missing', { segment: 'MSH', sequence: 1, field: 9 });
    }
    return message;
  }

  /** The first segment with that name. */
  segment(name: string): Hl7Segment | undefined {
    return this.segments.find((s) => s.name === name);
  }

  all(name: string): Hl7Segment[] {
    return this.segments.filter((s) => s.name === name);
  }

  get header(): Hl7Segment {
    return this.segments[0]!;
  }

  /** MSH-3.1 */
  get sendingApplication(): string {
    return this.header.get(3);
  }
  /** MSH-4.1 */
  get sendingFacility(): string {
    return this.header.get(4);
  }
  /** MSH-5.1 */
  get receivingApplication(): string {
    return this.header.get(5);
  }
  /** MSH-6.1 */
  get receivingFacility(): string {
    return this.header.get(6);
  }
  /** MSH-10 */
  get controlId(): string {
    return this.header.get(10);
  }
  /** MSH-9.1 */
  get messageType(): string {
    return this.header.get(9, 1);
  }
  /** MSH-9.2, or EVN-1 when MSH-9.2 is empty. */
  get triggerEvent(): string {
    return this.header.get(9, 2) || (this.segment('EVN')?.get(1) ?? '');
  }
  /** MSH-11.1 (P production, T training, D debugging). */
  get processingId(): string {
    return this.header.get(11);
  }
  /** MSH-12.1 */
  get version(): string {
    return this.header.get(12);
  }
}

export class Hl7Segment {
  readonly name: string;
  /** 1-based position in the message. */
  readonly sequence: number;
  readonly raw: string;
  private readonly delimiters: Delimiters;
  private readonly parts: string[];
  private readonly cache = new Map<number, Hl7Field>();

  constructor(name: string, raw: string, delimiters: Delimiters, sequence = 1) {
    this.name = name;
    this.raw = raw;
    this.delimiters = delimiters;
    this.sequence = sequence;
    this.parts = raw.split(delimiters.field);
  }

  /** The number of the last field present. */
  get fieldCount(): number {
    return this.name === 'MSH' ? this.parts.length : this.parts.length - 1;
  }

  /** HL7 numbering: PID.field(3) is PID-3; MSH.field(1) is the field separator, MSH.field(2) the encoding characters. */
  field(n: number): Hl7Field {
    let f = this.cache.get(n);
    if (f) return f;
    if (this.name === 'MSH' && n === 1) f = Hl7Field.literal(this.delimiters.field, this.delimiters);
    else if (this.name === 'MSH' && n === 2) f = Hl7Field.literal(this.parts[1] ?? '', this.delimiters);
    else {
      const index = this.name === 'MSH' ? n - 1 : n;
      f = new Hl7Field(n >= 1 ? (this.parts[index] ?? '') : '', this.delimiters);
    }
    this.cache.set(n, f);
    return f;
  }

  get(n: number, component = 1, subcomponent = 1, repetition = 0): string {
    return this.field(n).get(component, subcomponent, repetition);
  }
}

export class Hl7Field {
  readonly raw: string;
  readonly repetitions: Hl7Repetition[];

  constructor(raw: string, delimiters: Delimiters) {
    this.raw = raw;
    this.repetitions = raw.split(delimiters.repetition).map((r) => new Hl7Repetition(r, delimiters));
  }

  /** A field taken as it stands (MSH-1, MSH-2): no splitting, no unescaping. */
  static literal(value: string, delimiters: Delimiters): Hl7Field {
    const f = Object.create(Hl7Field.prototype) as Hl7Field;
    Object.assign(f, { raw: value, repetitions: [Hl7Repetition.literal(value, delimiters)] });
    return f;
  }

  get(component = 1, subcomponent = 1, repetition = 0): string {
    return this.repetitions[repetition]?.get(component, subcomponent) ?? '';
  }

  /** Anything but empty (an explicit null `""` is present). */
  get isPresent(): boolean {
    return this.raw !== '';
  }

  /** The field is exactly `""`: the sender deletes the value. */
  get isExplicitNull(): boolean {
    return this.raw === '""';
  }
}

export class Hl7Repetition {
  readonly raw: string;
  /** components[c][s]: raw (escaped) text, 0-based. */
  readonly components: string[][];
  private readonly delimiters: Delimiters;
  private literalValue?: string;

  constructor(raw: string, delimiters: Delimiters) {
    this.raw = raw;
    this.delimiters = delimiters;
    this.components = raw.split(delimiters.component).map((c) => c.split(delimiters.subcomponent));
  }

  static literal(value: string, delimiters: Delimiters): Hl7Repetition {
    const r = new Hl7Repetition('', delimiters);
    r.literalValue = value;
    (r as { components: string[][] }).components = [[value]];
    return r;
  }

  get(component = 1, subcomponent = 1): string {
    if (this.literalValue !== undefined)
      return component === 1 && subcomponent === 1 ? this.literalValue : '';
    const value = this.components[component - 1]?.[subcomponent - 1] ?? '';
    if (value === '""') return '';
    return unescapeHl7(value, this.delimiters);
  }
}

function decodeHex(hex: string): string {
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) return '';
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/**
 * Unescapes HL7 escape sequences: \F\ \S\ \T\ \R\ \E\, \Xhh..\ (bytes, UTF-8 else Latin-1), \.br\ and \.sp\
 * as a newline; highlighting (\H\ \N\), character-set switches (\C..\ \M..\) and other formatting commands
 * are dropped. An unterminated or unknown sequence is kept as written.
 */
export function unescapeHl7(value: string, d: Delimiters): string {
  const esc = d.escape;
  if (!value.includes(esc)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value[i]!;
    if (c !== esc) {
      out += c;
      i++;
      continue;
    }
    const end = value.indexOf(esc, i + 1);
    if (end === -1) {
      out += value.slice(i);
      break;
    }
    const seq = value.slice(i + 1, end);
    const replaced = escapeSequence(seq, d);
    if (replaced === null) {
      // Not a sequence we know: keep the escape character and go on after it.
      out += c;
      i++;
      continue;
    }
    out += replaced;
    i = end + 1;
  }
  return out;
}

function escapeSequence(seq: string, d: Delimiters): string | null {
  switch (seq) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'H':
    case 'N':
      return '';
    case '.br':
    case '.sp':
      return '\n';
    case '.fi':
    case '.nf':
    case '.ce':
      return '';
  }
  if (/^X[0-9A-Fa-f]*$/.test(seq)) return decodeHex(seq.slice(1));
  if (/^\.(sp|in|ti|sk)[+-]?\d*$/.test(seq)) return seq.startsWith('.sp') ? '\n' : '';
  if (/^[CMZ][0-9A-Za-z]*$/.test(seq)) return '';
  return null;
}

/** Escapes text so that it can stand in a field (delimiters and the escape character). */
export function escapeHl7(value: string, d: Delimiters): string {
  let out = '';
  for (const c of value) {
    if (c === d.escape) out += `${d.escape}E${d.escape}`;
    else if (c === d.field) out += `${d.escape}F${d.escape}`;
    else if (c === d.component) out += `${d.escape}S${d.escape}`;
    else if (c === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (c === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (c === '\r' || c === '\n') out += `${d.escape}.br${d.escape}`;
    else out += c;
  }
  return out;
}

const TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;

/**
 * TS/DTM "YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]" → Date, in `zone` (IANA) when no offset; null when empty;
 * throws on garbage. Only the first component of a TS (the time, not its degree of precision) is read.
 */
export function parseHl7Time(value: string, zone: string): Date | null {
  const v = value.trim();
  if (v === '' || v === '""') return null;
  const m = TS.exec(v);
  if (!m) throw new Error(`not an HL7 timestamp: ${JSON.stringify(v.slice(0, 40))}`);
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  const hour = m[4] ? Number(m[4]) : 0;
  const minute = m[5] ? Number(m[5]) : 0;
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  if (m[4] && !m[3]) throw new Error('not an HL7 timestamp: hours without a day');
  checkRanges(year, month, day, v);
  if (hour > 23 || minute > 59 || second > 59) throw new Error(`not an HL7 timestamp: ${JSON.stringify(v)}`);
  if (m[8]) {
    const sign = m[8][0] === '-' ? -1 : 1;
    const oh = Number(m[8].slice(1, 3));
    const om = Number(m[8].slice(3, 5));
    if (oh > 14 || om > 59) throw new Error(`not an HL7 time zone offset: ${m[8]}`);
    const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    return new Date(utc - sign * (oh * 60 + om) * 60_000);
  }
  return new Date(new TZDate(year, month - 1, day, hour, minute, second, ms, zone).getTime());
}

/** DT "YYYYMMDD" → "YYYY-MM-DD"; null when empty; throws on garbage. A TS given where a DT is expected is cut to its date. */
export function parseHl7Date(value: string): string | null {
  const v = value.trim();
  if (v === '' || v === '""') return null;
  const m = /^(\d{4})(\d{2})(\d{2})(?:\d{0,6}(?:\.\d{1,4})?(?:[+-]\d{4})?)?$/.exec(v);
  if (!m) throw new Error(`not an HL7 date: ${JSON.stringify(v.slice(0, 40))}`);
  checkRanges(Number(m[1]), Number(m[2]), Number(m[3]), v);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function checkRanges(year: number, month: number, day: number, v: string): void {
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1800 || month < 1 || month > 12 || day < 1 || day > daysIn) {
    throw new Error(`not an HL7 date: ${JSON.stringify(v.slice(0, 40))}`);
  }
}
