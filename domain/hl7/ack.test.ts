import { describe, expect, it } from 'vitest';
import { ackSourceOf, ackSourceOfText, buildAck } from './ack.ts';
import { Hl7Message } from './message.ts';

const A01 =
  'MSH|^~\\&|EPIC|RIVERSIDE^1.2.3^ISO|KITH|KITHFAC|20260301083000||ADT^A01^ADT_A01|CTRL-1|T|2.5.1\rEVN|A01\rPID|1||M1';
const at = new Date('2026-03-01T14:30:00Z');

describe('buildAck', () => {
  it('acknowledges AA with sender and receiver swapped', () => {
    const ack = buildAck(ackSourceOf(Hl7Message.parse(A01)), { code: 'AA', controlId: 'K-1', at });
    expect(ack.endsWith('\r')).toBe(true);
    const m = Hl7Message.parse(ack);
    expect(m.sendingApplication).toBe('KITH');
    expect(m.sendingFacility).toBe('KITHFAC');
    expect(m.receivingApplication).toBe('EPIC');
    expect(m.header.get(6, 2)).toBe('1.2.3');
    expect(m.receivingFacility).toBe('RIVERSIDE');
    expect(m.controlId).toBe('K-1');
    expect(m.messageType).toBe('ACK');
    expect(m.triggerEvent).toBe('A01');
    expect(m.processingId).toBe('T');
    expect(m.version).toBe('2.5.1');
    expect(m.header.get(7)).toBe('20260301143000+0000');
    expect(m.segment('MSA')!.get(1)).toBe('AA');
    expect(m.segment('MSA')!.get(2)).toBe('CTRL-1');
    expect(m.segment('ERR')).toBeUndefined();
  });

  it('adds one ERR per error with location, table 0357 code, severity and user message', () => {
    const ack = buildAck(ackSourceOf(Hl7Message.parse(A01)), {
      code: 'AE',
      controlId: 'K-2',
      at,
      errors: [
        { segment: 'PID', sequence: 1, field: 3, code: 101, text: 'No MRN in PID-3' },
        { segment: 'PV1', field: 19, component: 1, code: 204, text: 'Visit V9 | not found' },
      ],
    });
    const m = Hl7Message.parse(ack);
    expect(m.segment('MSA')!.get(1)).toBe('AE');
    expect(m.segment('MSA')!.get(3)).toBe('No MRN in PID-3');
    const [e1, e2] = m.all('ERR');
    expect(e1!.get(2, 1)).toBe('PID');
    expect(e1!.get(2, 2)).toBe('1');
    expect(e1!.get(2, 3)).toBe('3');
    expect(e1!.get(3, 1)).toBe('101');
    expect(e1!.get(3, 2)).toBe('Required field missing');
    expect(e1!.get(3, 3)).toBe('HL70357');
    expect(e1!.get(4)).toBe('E');
    expect(e1!.get(8)).toBe('No MRN in PID-3');
    expect(e2!.get(2, 2)).toBe('');
    expect(e2!.get(2, 4)).toBe('1');
    expect(e2!.get(8)).toBe('Visit V9 | not found');
  });

  it('answers with the message delimiters', () => {
    const m = Hl7Message.parse('MSH*@!/%*APP*FAC*K*K*20260101**ADT@A03*77*P*2.3');
    const ack = buildAck(ackSourceOf(m), { code: 'AR', controlId: 'K-3', text: 'a*b', at });
    expect(ack.startsWith('MSH*@!/%*K*K*APP*FAC*')).toBe(true);
    const parsed = Hl7Message.parse(ack);
    expect(parsed.segment('MSA')!.get(3)).toBe('a*b');
    expect(parsed.segment('MSA')!.get(2)).toBe('77');
  });

  it('uses our own names when the message names no receiver', () => {
    const m = Hl7Message.parse('MSH|^~\\&|APP|FAC|||20260101||ADT^A08|9|P|2.4');
    const ack = Hl7Message.parse(
      buildAck(ackSourceOf(m), { code: 'AA', controlId: 'K', facility: 'riverside' }),
    );
    expect(ack.sendingApplication).toBe('KITH');
    expect(ack.sendingFacility).toBe('riverside');
  });
});

describe('ackSourceOfText (unparseable messages)', () => {
  it('reads the control id from a broken message that starts like an MSH', () => {
    const source = ackSourceOfText('MSH|^~\\&|APP|FAC|K|K|1||ADT^A01|CTL-9|P|2.3\rPI D broken');
    expect(source.controlId).toBe('CTL-9');
    const ack = Hl7Message.parse(
      buildAck(source, {
        code: 'AR',
        controlId: 'K',
        errors: [{ segment: 'MSH', code: 100, text: 'malformed' }],
      }),
    );
    expect(ack.receivingApplication).toBe('APP');
    expect(ack.segment('MSA')!.get(1)).toBe('AR');
    expect(ack.segment('MSA')!.get(2)).toBe('CTL-9');
    expect(ack.segment('ERR')!.get(3)).toBe('100');
  });

  it('still answers for plain garbage', () => {
    const source = ackSourceOfText('\u0000\u0001hello');
    const ack = Hl7Message.parse(buildAck(source, { code: 'AR', controlId: 'K', text: 'not HL7' }));
    expect(ack.segment('MSA')!.get(2)).toBe('');
    expect(ack.version).toBe('2.5.1');
    expect(ackSourceOfText('MSH|^^\\&|A').controlId).toBe('');
  });
});
