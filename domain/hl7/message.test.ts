import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHl7, Hl7Message, Hl7ParseError, parseHl7Date, parseHl7Time } from './message.ts';

const FIXTURES = resolve(import.meta.dirname, '../..', process.env.KITH_FIXTURES ?? '../shared/fixtures');
const MESSAGES = join(FIXTURES, 'hl7v2/ms-fhir-converter/messages');
const fixtures = existsSync(MESSAGES) ? readdirSync(MESSAGES).filter((f) => f.endsWith('.hl7')) : [];

const A01 = [
  'MSH|^~\\&|EPIC|RIVERSIDE^1.2.3^ISO|KITH|KITH|20260301083000||ADT^A01^ADT_A01|CTRL-1|P|2.5.1',
  'EVN|A01|20260301083000',
  'PID|1||MRN123^^^RIV^MR~999-99-9999^^^SSA^SS||Doe\\S\\Jr^Jane^Q||19450712|F|||1 Main St^^Springfield^IL^62701',
  'PV1|1|I|4W^401^B|E|||1234^Smith^John||||||||7||||V100|||||||||||||||||||||||||20260301080000',
  'ZPI|custom|value',
].join('\r');

describe('Hl7Message.parse', () => {
  it('reads the header conveniences', () => {
    const m = Hl7Message.parse(A01);
    expect(m.sendingApplication).toBe('EPIC');
    expect(m.sendingFacility).toBe('RIVERSIDE');
    expect(m.receivingApplication).toBe('KITH');
    expect(m.controlId).toBe('CTRL-1');
    expect(m.messageType).toBe('ADT');
    expect(m.triggerEvent).toBe('A01');
    expect(m.version).toBe('2.5.1');
    expect(m.processingId).toBe('P');
    expect(m.header.name).toBe('MSH');
    expect(m.delimiters).toEqual({
      field: '|',
      component: '^',
      repetition: '~',
      escape: '\\',
      subcomponent: '&',
    });
  });

  it('numbers MSH fields as the standard does', () => {
    const msh = Hl7Message.parse(A01).header;
    expect(msh.get(1)).toBe('|');
    expect(msh.get(2)).toBe('^~\\&');
    expect(msh.get(3)).toBe('EPIC');
    expect(msh.get(4, 2)).toBe('1.2.3');
    expect(msh.get(9, 3)).toBe('ADT_A01');
  });

  it('reads fields, components, repetitions, and absent values', () => {
    const m = Hl7Message.parse(A01);
    const pid = m.segment('PID')!;
    expect(pid.get(3)).toBe('MRN123');
    expect(pid.get(3, 4)).toBe('RIV');
    expect(pid.get(3, 5, 1, 1)).toBe('SS');
    expect(pid.field(3).repetitions).toHaveLength(2);
    expect(pid.field(3).repetitions[1]!.get(1)).toBe('999-99-9999');
    expect(pid.get(5)).toBe('Doe^Jr');
    expect(pid.get(5, 2)).toBe('Jane');
    expect(pid.get(7)).toBe('19450712');
    expect(pid.get(99)).toBe('');
    expect(pid.get(5, 9)).toBe('');
    expect(pid.get(3, 1, 1, 7)).toBe('');
    expect(pid.field(2).isPresent).toBe(false);
    expect(pid.field(2).repetitions).toHaveLength(1);
    const pv1 = m.segment('PV1')!;
    expect(pv1.get(3, 1)).toBe('4W');
    expect(pv1.get(3, 3)).toBe('B');
    expect(pv1.get(19)).toBe('V100');
    expect(pv1.get(44)).toBe('20260301080000');
  });

  it('keeps Z-segments and finds all segments by name', () => {
    const m = Hl7Message.parse(`${A01}\rNK1|1|Doe^John\rNK1|2|Doe^Ann`);
    expect(m.segment('ZPI')!.get(2)).toBe('value');
    expect(m.all('NK1').map((s) => s.get(2, 2))).toEqual(['John', 'Ann']);
    expect(m.segment('OBX')).toBeUndefined();
    expect(m.segments.map((s) => s.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('accepts LF and CRLF segment separators, a BOM and trailing blank lines', () => {
    for (const sep of ['\n', '\r\n']) {
      const m = Hl7Message.parse(`\ufeff${A01.split('\r').join(sep)}${sep}${sep}`);
      expect(m.segments).toHaveLength(5);
      expect(m.segment('PID')!.get(3)).toBe('MRN123');
    }
  });

  it('unescapes the standard escape sequences', () => {
    const m = Hl7Message.parse(
      [
        'MSH|^~\\&|A|B|C|D|20260101||ADT^A08|1|P|2.5',
        'NTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f|line one\\.br\\line two|\\H\\bold\\N\\|caf\\XC3A9\\|\\X41\\BC|x\\.sp2\\y|\\Zunknown\\z|broken\\esc|\\Q\\',
      ].join('\r'),
    );
    const nte = m.segment('NTE')!;
    expect(nte.get(3)).toBe('a|b^c&d~e\\f');
    expect(nte.get(4)).toBe('line one\nline two');
    expect(nte.get(5)).toBe('bold');
    expect(nte.get(6)).toBe('café');
    expect(nte.get(7)).toBe('ABC');
    expect(nte.get(8)).toBe('x\ny');
    expect(nte.get(9)).toBe('z');
    expect(nte.get(10)).toBe('broken\\esc');
    expect(nte.get(11)).toBe('\\Q\\');
  });

  it('decodes \\X..\\ bytes that are not UTF-8 as Latin-1', () => {
    const m = Hl7Message.parse('MSH|^~\\&|A|B|C|D|1||ADT^A08|1|P|2.5\rNTE|1||M\\XFC\\ller');
    expect(m.segment('NTE')!.get(3)).toBe('Müller');
  });

  it('uses custom delimiters from MSH-1 and MSH-2', () => {
    const m = Hl7Message.parse(
      ['MSH*@!/%*APP*FAC*K*K*20260101**ADT@A03*77*P*2.3', 'PID*1**M1@@@AUTH!M2@@@OTHER**Roe/S/x@Ann%B*'].join(
        '\r',
      ),
    );
    expect(m.delimiters).toEqual({
      field: '*',
      component: '@',
      repetition: '!',
      escape: '/',
      subcomponent: '%',
    });
    expect(m.header.get(1)).toBe('*');
    expect(m.header.get(2)).toBe('@!/%');
    expect(m.triggerEvent).toBe('A03');
    const pid = m.segment('PID')!;
    expect(pid.get(3, 4)).toBe('AUTH');
    expect(pid.get(3, 1, 1, 1)).toBe('M2');
    expect(pid.get(5)).toBe('Roe@x');
    expect(pid.get(5, 2)).toBe('Ann');
    expect(pid.get(5, 2, 2)).toBe('B');
  });

  it('reads the trigger event from EVN-1 when MSH-9.2 is empty', () => {
    const m = Hl7Message.parse('MSH|^~\\&|A|B|C|D|1||ADT|1|P|2.3\rEVN|A02|20260101');
    expect(m.messageType).toBe('ADT');
    expect(m.triggerEvent).toBe('A02');
  });

  it('tells an explicit null from an absent field', () => {
    const m = Hl7Message.parse('MSH|^~\\&|A|B|C|D|1||ADT^A08|1|P|2.5\rPID|1||M1||""||||||""^^x');
    const pid = m.segment('PID')!;
    expect(pid.field(5).isExplicitNull).toBe(true);
    expect(pid.field(5).isPresent).toBe(true);
    expect(pid.get(5)).toBe('');
    expect(pid.field(6).isExplicitNull).toBe(false);
    expect(pid.field(6).isPresent).toBe(false);
    expect(pid.field(11).isExplicitNull).toBe(false);
    expect(pid.get(11, 3)).toBe('x');
  });

  it.each([
    ['', 'empty message'],
    ['\r\n\r', 'empty message'],
    ['PID|1||M1', 'the message does not start with an MSH segment'],
    ['MSH|^~', 'MSH segment truncated'],
    ['MSH|^~\\|A|B', 'MSH-2 must hold four encoding characters'],
    ['MSH|^^\\&|A|B|C|D|1||ADT^A01|1|P|2.5', 'MSH-1/MSH-2 delimiters must be distinct punctuation'],
    ['MSH|^~\\&', 'MSH segment truncated after MSH-2'],
    ['MSH|^~\\&|A|B|C|D|1|||1|P|2.5', 'MSH-9 (message type) is missing'],
    [
      'MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPI|1',
      'malformed segment: expected a three-character name and the field separator',
    ],
    [
      'MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPIDX1',
      'malformed segment: expected a three-character name and the field separator',
    ],
    [
      'MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\r\u0000\u0001garbage',
      'malformed segment: expected a three-character name and the field separator',
    ],
    [
      'MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rMSH|^~\\&|A|B|C|D|1||ADT^A01|2|P|2.5',
      'a second MSH segment: batches are not accepted',
    ],
  ])('refuses %j with a reason', (text, reason) => {
    let error: unknown;
    try {
      Hl7Message.parse(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Hl7ParseError);
    expect((error as Hl7ParseError).reason).toBe(reason);
  });

  it('says where a malformed segment is', () => {
    try {
      Hl7Message.parse('MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rEVN|A01\rpid|1');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Hl7ParseError);
      expect((e as Hl7ParseError).sequence).toBe(3);
      expect((e as Hl7ParseError).segment).toBe('pid');
    }
  });
});

describe.skipIf(fixtures.length === 0)('the shared fixture messages', () => {
  it('are all there', () => {
    expect(fixtures.length).toBeGreaterThan(50);
  });

  it.each(fixtures)('%s parses', (file) => {
    const m = Hl7Message.parse(readFileSync(join(MESSAGES, file), 'utf8'));
    expect(m.header.name).toBe('MSH');
    expect(m.controlId).not.toBe('');
    expect(['ADT', 'REF']).toContain(m.messageType);
    expect(m.triggerEvent).toMatch(/^[AI]\d\d$/);
    expect(m.segments.length).toBeGreaterThan(1);
    for (const s of m.segments) expect(s.name).toMatch(/^[A-Z][A-Z0-9]{2}$/);
    if (m.messageType === 'ADT') expect(m.segment('PID')?.get(3) ?? m.segment('MRG')?.get(1)).toBeTruthy();
  });

  it('reads the ADT A01 fixture', () => {
    const m = Hl7Message.parse(readFileSync(join(MESSAGES, 'ADT-A01-01.hl7'), 'utf8'));
    expect(m.controlId).toBe('MSG00001');
    expect(m.sendingFacility).toBe('GHHSFacility');
    expect(m.version).toBe('2.8');
    const pid = m.segment('PID')!;
    expect(pid.get(3)).toBe('PATID1234');
    expect(pid.get(3, 5)).toBe('MR');
    expect(pid.get(3, 1, 1, 1)).toBe('123456789');
    expect(pid.get(5, 1, 1)).toBe('EVERYMAN');
    expect(pid.get(5, 2)).toBe('ADAM');
    expect(pid.get(8)).toBe('M');
    const pv1 = m.segment('PV1')!;
    expect(pv1.get(2)).toBe('P');
    expect(pv1.get(14)).toBe('NHS Provider-General (inc.A&E-this Hosp)');
  });
});

describe('parseHl7Time', () => {
  it('reads every precision, in the zone when there is no offset', () => {
    const z = 'America/Chicago';
    expect(parseHl7Time('2026', z)!.toISOString()).toBe('2026-01-01T06:00:00.000Z');
    expect(parseHl7Time('202607', z)!.toISOString()).toBe('2026-07-01T05:00:00.000Z');
    expect(parseHl7Time('20260704', z)!.toISOString()).toBe('2026-07-04T05:00:00.000Z');
    expect(parseHl7Time('2026070413', z)!.toISOString()).toBe('2026-07-04T18:00:00.000Z');
    expect(parseHl7Time('202607041330', z)!.toISOString()).toBe('2026-07-04T18:30:00.000Z');
    expect(parseHl7Time('20260704133015', z)!.toISOString()).toBe('2026-07-04T18:30:15.000Z');
    expect(parseHl7Time('20260704133015.25', z)!.toISOString()).toBe('2026-07-04T18:30:15.250Z');
  });

  it('honours an explicit offset', () => {
    expect(parseHl7Time('198908181126+0215', 'America/Chicago')!.toISOString()).toBe(
      '1989-08-18T09:11:00.000Z',
    );
    expect(parseHl7Time('20260704133015-0500', 'Europe/Paris')!.toISOString()).toBe(
      '2026-07-04T18:30:15.000Z',
    );
    expect(parseHl7Time('20210817151943.4+0200', 'UTC')!.toISOString()).toBe('2021-08-17T13:19:43.400Z');
  });

  it('gives null when empty and throws on garbage', () => {
    expect(parseHl7Time('', 'UTC')).toBeNull();
    expect(parseHl7Time('""', 'UTC')).toBeNull();
    for (const bad of [
      'yesterday',
      '2026-07-04',
      '20261304',
      '20260230',
      '2026070425',
      '202607041360',
      '20260704+9999',
      '1',
    ]) {
      expect(() => parseHl7Time(bad, 'UTC')).toThrow();
    }
  });
});

describe('parseHl7Date', () => {
  it('reads a DT', () => {
    expect(parseHl7Date('19450712')).toBe('1945-07-12');
    expect(parseHl7Date('20240229')).toBe('2024-02-29');
    expect(parseHl7Date('198808181126+0215')).toBe('1988-08-18');
    expect(parseHl7Date('')).toBeNull();
  });
  it('throws on garbage', () => {
    for (const bad of ['1945', '19450230', '20230229', 'abc', '1945-07-12'])
      expect(() => parseHl7Date(bad)).toThrow();
  });
});

describe('escapeHl7', () => {
  it('round-trips through the parser', () => {
    const d = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };
    const text = 'a|b^c&d~e\\f\nline';
    const m = Hl7Message.parse(`MSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5\rMSA|AE|1|${escapeHl7(text, d)}`);
    expect(m.segment('MSA')!.get(3)).toBe(text);
  });
});
