import { type AckCode, HL7_ERROR_CODES, type Hl7Error } from '../schemas/hl7.ts';
import { type Delimiters, escapeHl7, type Hl7Message } from './message.ts';

const STANDARD: Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

export interface AckOptions {
  code: AckCode;
  /** MSA-3, a short text (no PHI). */
  text?: string;
  errors?: Hl7Error[];
  /** MSH-10 of the ACK itself. */
  controlId: string;
  /** MSH-7; defaults to now. */
  at?: Date;
  /** Our own application and facility, used when the message does not name a receiver. */
  application?: string;
  facility?: string;
}

/** The header facts an ACK needs, read from a parsed message or, best effort, from unparseable text. */
export interface AckSource {
  delimiters: Delimiters;
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  controlId: string;
  triggerEvent: string;
  processingId: string;
  version: string;
  /** MSH-9 as type^event, best effort (for storing an unparseable message). */
  messageType?: string;
}

export function ackSourceOf(message: Hl7Message): AckSource {
  const h = message.header;
  return {
    delimiters: message.delimiters,
    // The sender's and receiver's HD as sent (all components), escaped again for the ACK.
    sendingApplication: h.field(3).raw,
    sendingFacility: h.field(4).raw,
    receivingApplication: h.field(5).raw,
    receivingFacility: h.field(6).raw,
    controlId: message.controlId,
    triggerEvent: message.triggerEvent,
    processingId: message.processingId,
    version: message.version,
  };
}

/**
 * Best effort for a message that does not parse: when it starts like an MSH with sane delimiters, read the
 * sender, receiver, control id and version from it; otherwise an ACK with standard delimiters and no ids.
 */
export function ackSourceOfText(text: string): AckSource {
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/)[0] ?? '';
  const empty: AckSource = {
    delimiters: STANDARD,
    sendingApplication: '',
    sendingFacility: '',
    receivingApplication: '',
    receivingFacility: '',
    controlId: '',
    triggerEvent: '',
    processingId: 'P',
    version: '2.5.1',
  };
  if (!body.startsWith('MSH') || body.length < 8) return empty;
  const fs = body[3]!;
  const enc = body.slice(4, 8);
  const chars = [fs, ...enc];
  if (new Set(chars).size !== 5 || chars.some((c) => /[A-Za-z0-9\s]/.test(c))) return empty;
  const d: Delimiters = {
    field: fs,
    component: enc[0]!,
    repetition: enc[1]!,
    escape: enc[2]!,
    subcomponent: enc[3]!,
  };
  const parts = body.split(fs);
  const at = (n: number) => parts[n - 1] ?? '';
  const first = (n: number) => at(n).split(d.repetition)[0]!.split(d.component)[0]!;
  const clean = (s: string) =>
    [...s]
      .filter((c) => c >= ' ')
      .join('')
      .slice(0, 199);
  return {
    delimiters: d,
    sendingApplication: clean(at(3)),
    sendingFacility: clean(at(4)),
    receivingApplication: clean(at(5)),
    receivingFacility: clean(at(6)),
    controlId: clean(first(10)),
    triggerEvent: clean(at(9).split(d.component)[1] ?? ''),
    messageType: clean(at(9).split(d.component).slice(0, 2).join('^')),
    processingId: clean(first(11)) || 'P',
    version: clean(first(12)) || '2.5.1',
  };
}

function hl7Now(at: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}+0000`;
}

/**
 * An ACK: MSH (sender and receiver swapped, our control id, the same version and processing id), MSA (code,
 * the acknowledged MSH-10, text) and one ERR per error (ERR-2 location, ERR-3 code from table 0357, ERR-4
 * severity E, ERR-8 user message). Segments end with CR.
 */
export function buildAck(source: AckSource, options: AckOptions): string {
  const d = source.delimiters;
  const f = d.field;
  const esc = (s: string) => escapeHl7(s, d);
  const enc = `${d.component}${d.repetition}${d.escape}${d.subcomponent}`;
  const receiverApp = source.sendingApplication;
  const receiverFac = source.sendingFacility;
  const senderApp = source.receivingApplication || esc(options.application ?? 'KITH');
  const senderFac = source.receivingFacility || esc(options.facility ?? 'KITH');
  const msgType = `ACK${source.triggerEvent ? `${d.component}${esc(source.triggerEvent)}${d.component}ACK` : ''}`;
  const msh = [
    'MSH',
    enc,
    senderApp,
    senderFac,
    receiverApp,
    receiverFac,
    hl7Now(options.at ?? new Date()),
    '',
    msgType,
    esc(options.controlId),
    esc(source.processingId || 'P'),
    esc(source.version || '2.5.1'),
  ].join(f);
  const errors = options.errors ?? [];
  const text = options.text ?? errors[0]?.text ?? '';
  const msa = ['MSA', options.code, esc(source.controlId), esc(text.slice(0, 80))].join(f);
  const segments = [msh, trimTrailing(msa, f)];
  for (const e of errors) {
    const location = [e.segment, e.sequence ?? '', e.field ?? '', e.component ?? '']
      .map((v) => esc(String(v)))
      .join(d.component);
    const codeText = HL7_ERROR_CODES[e.code as keyof typeof HL7_ERROR_CODES] ?? '';
    const code = [String(e.code), esc(codeText), 'HL70357'].join(d.component);
    segments.push(
      trimTrailing(
        ['ERR', '', trimTrailing(location, d.component), code, 'E', '', '', '', esc(e.text)].join(f),
        f,
      ),
    );
  }
  return `${segments.join('\r')}\r`;
}

function trimTrailing(s: string, sep: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === sep) end--;
  return s.slice(0, end);
}
