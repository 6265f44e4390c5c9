import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { Hl7Message as MedplumMessage } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hl7Message } from '../../../domain/hl7/message.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import type { AdtApplier } from './adt.contract.ts';
import { hl7Messages } from './hl7.tables.ts';
import { ingestHl7 } from './ingest.service.ts';
import { CR, FS, frame, MllpDeframer, MllpServer, VT } from './mllp.server.ts';

const msg = (control: string) => `MSH|^~\\&|APP|FAC|K|K|20260101||ADT^A01|${control}|P|2.5\rPID|1||M1`;
const echoAck = (raw: string) =>
  `MSH|^~\\&|K|K|APP|FAC|20260101||ACK|A|P|2.5\rMSA|AA|${Hl7Message.parse(raw).controlId}\r`;

/** A raw TCP client that collects the ACK frames it receives. */
async function rawClient(port: number) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const acks: string[] = [];
  const deframer = new MllpDeframer(1 << 20);
  const waiters: (() => void)[] = [];
  let closed = false;
  socket.on('data', (chunk) => {
    for (const f of deframer.push(chunk).frames) acks.push(f.toString('utf8'));
    for (const w of waiters.splice(0)) w();
  });
  socket.on('close', () => {
    closed = true;
    for (const w of waiters.splice(0)) w();
  });
  socket.on('error', () => {});
  const until = async (predicate: () => boolean) => {
    while (!predicate()) await new Promise<void>((r) => waiters.push(r));
  };
  return {
    socket,
    acks,
    get closed() {
      return closed;
    },
    write: (b: Buffer | string) => new Promise<void>((r) => socket.write(b, () => r())),
    waitForAcks: (n: number) => until(() => acks.length >= n || closed),
    waitForClose: () => until(() => closed),
  };
}

const controlOfAck = (ack: string) => Hl7Message.parse(ack).segment('MSA')!.get(2);

describe('MllpDeframer', () => {
  it('finds frames split byte by byte, coalesced, and after garbage', () => {
    const d = new MllpDeframer(1000);
    const stream = Buffer.concat([
      Buffer.from('noise\r\n'),
      frame('ONE'),
      Buffer.from('junk'),
      frame('TWO'),
      frame('THREE'),
    ]);
    const got: string[] = [];
    for (const byte of stream) for (const f of d.push(Buffer.from([byte])).frames) got.push(f.toString());
    expect(got).toEqual(['ONE', 'TWO', 'THREE']);
    const d2 = new MllpDeframer(1000);
    expect(d2.push(stream).frames.map(String)).toEqual(['ONE', 'TWO', 'THREE']);
  });

  it('handles FS and CR split across chunks, and a VT that restarts a frame', () => {
    const d = new MllpDeframer(1000);
    expect(d.push(Buffer.from([VT, 0x41, 0x42, FS])).frames).toEqual([]);
    expect(d.push(Buffer.from([CR, VT, 0x43])).frames.map(String)).toEqual(['AB']);
    expect(d.push(Buffer.from([VT, 0x44, FS, CR])).frames.map(String)).toEqual(['D']);
  });

  it('reports an oversized frame', () => {
    const d = new MllpDeframer(10);
    const r = d.push(Buffer.concat([Buffer.from([VT]), Buffer.from('MSH|^~\\&|A|B|C|D|E')]));
    expect(r.oversized?.toString()).toContain('MSH|');
  });
});

describe('MllpServer', () => {
  let server: MllpServer;
  const gates = new Map<string, () => void>();
  const handled: string[] = [];

  beforeAll(async () => {
    server = new MllpServer({
      port: 0,
      host: '127.0.0.1',
      maxMessageBytes: 4096,
      idleTimeoutMs: 60_000,
      handle: async (raw) => {
        const control = Hl7Message.parse(raw).controlId;
        // A message whose control id starts with "wait" is held until the test releases it.
        if (control.startsWith('wait')) await new Promise<void>((r) => gates.set(control, r));
        handled.push(control);
        return echoAck(raw);
      },
    });
    await server.start();
  });
  afterAll(async () => {
    await server.stop(1000);
  });

  it('answers each message in order, after it is handled, even when split and coalesced', async () => {
    const c = await rawClient(server.port);
    const all = Buffer.concat([
      Buffer.from('garbage'),
      frame(msg('wait-1')),
      frame(msg('2')),
      frame(msg('3')),
    ]);
    // Split the stream at awkward places.
    await c.write(all.subarray(0, 5));
    await c.write(all.subarray(5, 40));
    await c.write(all.subarray(40));
    await new Promise((r) => setTimeout(r, 50));
    // The first is held: no ACK may have been written, and the later ones wait behind it.
    expect(c.acks).toEqual([]);
    expect(handled).not.toContain('2');
    gates.get('wait-1')!();
    await c.waitForAcks(3);
    expect(c.acks.map(controlOfAck)).toEqual(['wait-1', '2', '3']);
    c.socket.destroy();
  });

  it('refuses an oversized message with AR and closes the connection', async () => {
    const c = await rawClient(server.port);
    await c.write(frame(`${msg('BIG')}\rNTE|1||${'x'.repeat(5000)}`));
    await c.waitForClose();
    expect(c.acks).toHaveLength(1);
    const ack = Hl7Message.parse(c.acks[0]!);
    expect(ack.segment('MSA')!.get(1)).toBe('AR');
    expect(ack.segment('MSA')!.get(2)).toBe('BIG');
  });

  it('drains on stop: a message in progress still gets its ACK', async () => {
    const other = new MllpServer({
      port: 0,
      host: '127.0.0.1',
      handle: async (raw) => {
        await new Promise((r) => setTimeout(r, 100));
        return echoAck(raw);
      },
    });
    await other.start();
    const c = await rawClient(other.port);
    await c.write(frame(msg('DRAIN')));
    await new Promise((r) => setTimeout(r, 20));
    await other.stop(5000);
    await c.waitForClose();
    expect(c.acks.map(controlOfAck)).toEqual(['DRAIN']);
  });

  it('closes an idle connection', async () => {
    const idle = new MllpServer({
      port: 0,
      host: '127.0.0.1',
      idleTimeoutMs: 100,
      handle: async (r) => echoAck(r),
    });
    await idle.start();
    const c = await rawClient(idle.port);
    await c.waitForClose();
    expect(c.closed).toBe(true);
    await idle.stop();
  });

  it('closes without an ACK when the message could not be stored', async () => {
    const broken = new MllpServer({
      port: 0,
      host: '127.0.0.1',
      handle: async () => {
        throw new Error('database down');
      },
    });
    await broken.start();
    const c = await rawClient(broken.port);
    await c.write(frame(msg('LOST')));
    await c.waitForClose();
    expect(c.acks).toEqual([]);
    await broken.stop();
  });
});

const FIXTURES = resolve(import.meta.dirname, '../../..', process.env.KITH_FIXTURES ?? '../shared/fixtures');
const MESSAGES = join(FIXTURES, 'hl7v2/ms-fhir-converter/messages');
let fixtureFiles: string[] = [];
try {
  fixtureFiles = readdirSync(MESSAGES).filter((f) => f.endsWith('.hl7'));
} catch {
  fixtureFiles = [];
}

describe.skipIf(fixtureFiles.length === 0)('every fixture over MLLP with @medplum/hl7 Hl7Client', () => {
  let database: TestDatabase;
  let server: MllpServer;
  const applier: AdtApplier = async () => ({ ack: 'AA', patientId: null, encounterId: null });

  beforeAll(async () => {
    database = await createTestDatabase();
    // One organisation: it takes every facility.
    await database.db.insert(organizations).values({ slug: 'solo', name: 'Solo' });
    server = new MllpServer({
      port: 0,
      host: '127.0.0.1',
      handle: async (raw) => (await ingestHl7(database.db, raw, { transport: 'mllp', applier })).ack,
    });
    await server.start();
  });
  afterAll(async () => {
    await server.stop(1000);
    await database.drop();
  });

  it('stores each message and answers AA for ADT, AR for other types', async () => {
    const client = new Hl7Client({ host: '127.0.0.1', port: server.port });
    try {
      for (const file of fixtureFiles) {
        const text = readFileSync(join(MESSAGES, file), 'utf8').replace(/^\ufeff/, '');
        const sent = MedplumMessage.parse(text);
        const ack = await client.sendAndWait(sent);
        const ours = Hl7Message.parse(text);
        expect(ack.getSegment('MSA')?.getField(2)?.toString(), file).toBe(ours.controlId);
        expect(ack.getSegment('MSA')?.getField(1)?.toString(), file).toBe(
          ours.messageType === 'ADT' ? 'AA' : 'AR',
        );
      }
    } finally {
      await client.close();
    }
    const rows = await database.db.select().from(hl7Messages);
    expect(rows).toHaveLength(fixtureFiles.length);
    // Duplicate control ids within the fixtures are acknowledged without a second apply.
    expect(rows.every((r) => ['applied', 'duplicate', 'rejected'].includes(r.outcome))).toBe(true);
    const adtKeys = new Set(
      rows
        .filter((r) => r.messageType?.startsWith('ADT'))
        .map((r) => `${r.sendingApplication}|${r.sendingFacility}|${r.controlId}`),
    );
    expect(rows.filter((r) => r.outcome === 'applied')).toHaveLength(adtKeys.size);
    expect(rows.filter((r) => r.outcome === 'rejected').map((r) => r.messageType?.slice(0, 3))).toEqual(
      rows.filter((r) => !r.messageType?.startsWith('ADT')).map(() => 'REF'),
    );
  });
});
