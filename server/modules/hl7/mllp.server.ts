import net from 'node:net';
import type { Logger } from 'pino';
import { ackSourceOfText, buildAck } from '../../../domain/hl7/ack.ts';

/**
 * An MLLP listener on node:net. A frame is VT (0x0B), the message, FS (0x1C) CR (0x0D); TCP may split a frame
 * over many chunks or put several frames in one, and anything before a VT is skipped. Per connection, frames
 * are handled one after another, in order, and each ACK is written only once `handle` has resolved, that is
 * once the message is stored, applied and committed. A frame larger than `maxMessageBytes` is refused with
 * an AR and the connection closed. A connection silent for `idleTimeoutMs` is closed.
 */

export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

export interface MllpServerOptions {
  port: number;
  host?: string;
  /** Gets the message text (UTF-8, framing removed) and answers the ACK text; throws when it could not store it. */
  handle: (raw: string) => Promise<string>;
  maxMessageBytes?: number;
  idleTimeoutMs?: number;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export const frame = (text: string): Buffer =>
  Buffer.concat([Buffer.from([VT]), Buffer.from(text, 'utf8'), Buffer.from([FS, CR])]);

/**
 * Splits a byte stream into MLLP frames. Bytes outside a frame are dropped; `push` returns the complete
 * frames so far and whether the frame being read has grown over the limit.
 */
export class MllpDeframer {
  private inFrame = false;
  private parts: Buffer[] = [];
  private size = 0;
  /** An FS ended the previous chunk: the next byte should be its CR. */
  private pendingFs = false;
  private readonly maxBytes: number;
  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  push(chunk: Buffer): { frames: Buffer[]; oversized: Buffer | null } {
    const frames: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.pendingFs) {
        this.pendingFs = false;
        frames.push(this.finish());
        if (chunk[i] === CR) i++;
        continue;
      }
      if (!this.inFrame) {
        const start = chunk.indexOf(VT, i);
        if (start === -1) break; // garbage between frames
        this.inFrame = true;
        i = start + 1;
        continue;
      }
      const end = chunk.indexOf(FS, i);
      const stop = end === -1 ? chunk.length : end;
      if (stop > i) {
        // A VT inside a frame starts a new one: the sender gave up on the previous frame.
        const restart = chunk.subarray(i, stop).lastIndexOf(VT);
        if (restart !== -1) {
          this.parts = [];
          this.size = 0;
          i += restart + 1;
        }
        this.parts.push(chunk.subarray(i, stop));
        this.size += stop - i;
        if (this.size > this.maxBytes) {
          const head = Buffer.concat(this.parts).subarray(0, 2048);
          this.reset();
          return { frames, oversized: head };
        }
      }
      if (end === -1) break;
      i = end + 1;
      if (i >= chunk.length) {
        this.pendingFs = true;
        break;
      }
      frames.push(this.finish());
      if (chunk[i] === CR) i++;
    }
    return { frames, oversized: null };
  }

  private finish(): Buffer {
    const out = this.parts.length === 1 ? Buffer.from(this.parts[0]!) : Buffer.concat(this.parts, this.size);
    this.reset();
    return out;
  }

  private reset(): void {
    this.inFrame = false;
    this.parts = [];
    this.size = 0;
    this.pendingFs = false;
  }
}

export class MllpServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private stopping = false;
  readonly options: Required<Omit<MllpServerOptions, 'logger' | 'host'>> &
    Pick<MllpServerOptions, 'logger' | 'host'>;

  constructor(options: MllpServerOptions) {
    this.options = { maxMessageBytes: 1_048_576, idleTimeoutMs: 5 * 60_000, ...options };
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (error) =>
      this.options.logger?.error({ err: { type: error.name } }, 'mllp listener error'),
    );
  }

  /** Listens and resolves the port (useful with port 0). */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen({ port: this.options.port, host: this.options.host }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    return this.port;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops accepting, lets each connection finish the messages it has received (their ACKs go out), then
   * closes them; whatever is still running after `graceMs` is cut.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.race([
      Promise.all([...this.connections].map((c) => c.drainAndClose())),
      new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
    ]);
    for (const c of this.connections) c.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, this.options, () => this.connections.delete(connection));
    this.connections.add(connection);
  }
}

class Connection {
  private readonly deframer: MllpDeframer;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private closing = false;
  private readonly socket: net.Socket;
  private readonly options: MllpServer['options'];

  constructor(socket: net.Socket, options: MllpServer['options'], onClose: () => void) {
    this.socket = socket;
    this.options = options;
    this.deframer = new MllpDeframer(options.maxMessageBytes);
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('timeout', () => {
      if (this.pending === 0) socket.end();
    });
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', () => {}); // a peer reset: the close handler tidies up
    socket.on('close', onClose);
  }

  private receive(chunk: Buffer): void {
    if (this.closing) return;
    const { frames, oversized } = this.deframer.push(chunk);
    for (const f of frames) this.enqueue(f.toString('utf8'));
    if (oversized) {
      this.closing = true;
      const source = ackSourceOfText(oversized.toString('utf8'));
      const ack = buildAck(source, {
        code: 'AR',
        controlId: `K${Date.now().toString(36).toUpperCase()}`,
        errors: [
          {
            segment: 'MSH',
            code: 100,
            text: `Message larger than ${this.options.maxMessageBytes} bytes: refused`,
          },
        ],
      });
      this.options.logger?.warn(
        { maxBytes: this.options.maxMessageBytes },
        'mllp: oversized message refused',
      );
      // After the messages before it are answered: the AR, then close.
      this.queue = this.queue.then(() => {
        this.write(ack);
        this.socket.end();
      });
    }
    // Backpressure: stop reading while many messages wait.
    if (this.pending > 64) this.socket.pause();
  }

  private enqueue(raw: string): void {
    this.pending++;
    this.queue = this.queue.then(async () => {
      try {
        if (this.socket.destroyed) return;
        const ack = await this.options.handle(raw);
        this.write(ack);
      } catch (error) {
        // Not stored: no ACK, close, so that the sender sends it again.
        this.options.logger?.error(
          { err: { type: (error as Error)?.name, code: (error as { code?: string })?.code } },
          'mllp: message could not be stored; connection closed without ACK',
        );
        this.closing = true;
        this.socket.destroy();
      } finally {
        this.pending--;
        if (this.pending <= 16 && this.socket.isPaused()) this.socket.resume();
      }
    });
  }

  private write(ack: string): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(frame(ack));
  }

  async drainAndClose(): Promise<void> {
    this.closing = true;
    this.socket.pause();
    await this.queue;
    await new Promise<void>((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
