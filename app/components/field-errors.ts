import type { z } from 'zod';
import { ApiError } from '../api/client.ts';

/** Field path (e.g. `address.city`) → message, ready for a Mantine input's `error` prop. */
export type FieldErrors = Record<string, string>;

/** Checks form values with the same zod schema the server uses. */
export function checkWith<S extends z.ZodType>(
  schema: S,
  values: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join('.');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The per-field messages of a 422 (or 400) answer; empty for any other error. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (error instanceof ApiError) {
    for (const { field, message } of error.errors) {
      // The server may prefix the body's name (`body.mrn`); inputs are named by the field alone.
      errors[field.replace(/^body\./, '')] ??= message;
    }
  }
  return errors;
}
