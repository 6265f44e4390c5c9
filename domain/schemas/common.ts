import { z } from 'zod';

/** A record id. */
export const Uuid = z.uuid({ error: 'must be a valid id' });

/** An email address, compared case-insensitively. */
export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be a valid email address' }))
  .transform((v) => v.toLowerCase());

/** A calendar date, YYYY-MM-DD. */
export const IsoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });

/** An instant with its offset, ISO 8601. */
export const IsoDateTime = z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' });

/** A person's name part: trimmed, not empty. */
export const NamePart = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters');

/** A page request: 1-based page number and size, bounded so that no request scans everything. */
export const PageQuery = z.object({
  // Bounded so that page × pageSize stays a sane offset (an unbounded page overflowed OFFSET into a 500).
  page: z.coerce.number().int().min(1, 'must be 1 or more').max(100_000, 'must be at most 100000').default(1),
  pageSize: z.coerce.number().int().min(1, 'must be 1 or more').max(200, 'must be at most 200').default(50),
});

/** What every paged list answers with. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  });

/** RFC 9457 problem details, as every 4xx and 5xx answer is shaped. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  correlationId: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  allowed: z.array(z.string()).optional(),
});
export type Problem = z.infer<typeof Problem>;
