import { z } from 'zod';
import { IsoDate, PageQuery, pageOf, Uuid } from './common.ts';

/** What became of a received message (hl7_messages.outcome). */
export const HL7_OUTCOMES = ['received', 'applied', 'duplicate', 'error', 'rejected'] as const;
export type Hl7Outcome = (typeof HL7_OUTCOMES)[number];

export const ACK_CODES = ['AA', 'AE', 'AR'] as const;
export type AckCode = (typeof ACK_CODES)[number];

export const HL7_TRANSPORTS = ['mllp', 'http', 'replay'] as const;
export type Hl7Transport = (typeof HL7_TRANSPORTS)[number];

/** HL7 table 0357, message error condition codes (ERR-3). */
export const HL7_ERROR_CODES = {
  0: 'Message accepted',
  100: 'Segment sequence error',
  101: 'Required field missing',
  102: 'Data type error',
  103: 'Table value not found',
  200: 'Unsupported message type',
  201: 'Unsupported event code',
  202: 'Unsupported processing id',
  203: 'Unsupported version id',
  204: 'Unknown key identifier',
  205: 'Duplicate key identifier',
  206: 'Application record locked',
  207: 'Application internal error',
} as const;
export type Hl7ErrorCode = keyof typeof HL7_ERROR_CODES;

/** Why a message was not applied, located as ERR-2 locates it (segment^sequence^field^component). */
export const Hl7Error = z.object({
  segment: z.string(),
  sequence: z.number().int().optional(),
  field: z.number().int().optional(),
  component: z.number().int().optional(),
  code: z.number().int(),
  text: z.string(),
});
export type Hl7Error = z.infer<typeof Hl7Error>;

/** A message in the admin list: no raw text, no PHI. */
export const Hl7MessageSummary = z.object({
  id: Uuid,
  organizationId: Uuid.nullable(),
  receivedAt: z.string(),
  transport: z.string(),
  sendingApplication: z.string().nullable(),
  sendingFacility: z.string().nullable(),
  controlId: z.string().nullable(),
  messageType: z.string().nullable(),
  triggerEvent: z.string().nullable(),
  version: z.string().nullable(),
  outcome: z.enum(HL7_OUTCOMES),
  ackCode: z.enum(ACK_CODES).nullable(),
  errors: z.array(Hl7Error),
  patientId: Uuid.nullable(),
  encounterId: Uuid.nullable(),
  appliedAt: z.string().nullable(),
  replays: z.number().int(),
  lastReplayedAt: z.string().nullable(),
});
export type Hl7MessageSummary = z.infer<typeof Hl7MessageSummary>;

/** One message with its raw text (admins only; audited as a PHI read). */
export const Hl7MessageDetail = Hl7MessageSummary.extend({
  raw: z.string(),
  lastReplayedBy: Uuid.nullable(),
});
export type Hl7MessageDetail = z.infer<typeof Hl7MessageDetail>;

export const Hl7MessageQuery = PageQuery.extend({
  outcome: z.enum(HL7_OUTCOMES).optional(),
  event: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{3}$/, 'must be a trigger event such as A01')
    .optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  /** Matches the control id or the sending application/facility (no PHI search). */
  q: z.string().trim().max(100, 'must be at most 100 characters').optional(),
});
export type Hl7MessageQuery = z.infer<typeof Hl7MessageQuery>;

export const Hl7MessagePage = pageOf(Hl7MessageSummary);

export const Hl7MessageParams = z.object({ messageId: Uuid });
export const Hl7FeedParams = z.object({ feedId: Uuid });

/** `POST /api/hl7/messages/replay`: several at once (each in its own transaction). */
export const Hl7ReplayManyRequest = z.object({ ids: z.array(Uuid).min(1, 'choose at least one').max(500) });
export const Hl7ReplayResult = z.object({
  id: Uuid,
  outcome: z.enum(HL7_OUTCOMES),
  ackCode: z.enum(ACK_CODES).nullable(),
  errors: z.array(Hl7Error),
});
export const Hl7ReplayManyResult = z.object({
  results: z.array(z.union([Hl7ReplayResult, z.object({ id: Uuid, refused: z.string() })])),
});

export const Hl7Feed = z.object({
  id: Uuid,
  sendingFacility: z.string(),
  assigningAuthority: z.string().nullable(),
  createdAt: z.string(),
});
export type Hl7Feed = z.infer<typeof Hl7Feed>;

export const Hl7FeedRequest = z.object({
  sendingFacility: z.string().trim().min(1, 'is required').max(180, 'must be at most 180 characters'),
  assigningAuthority: z
    .string()
    .trim()
    .max(180, 'must be at most 180 characters')
    .nullish()
    .transform((v) => (v ? v : null)),
});
export type Hl7FeedRequest = z.infer<typeof Hl7FeedRequest>;
