import type { Hl7Error } from '../../../domain/schemas/hl7.ts';

/** A message understood but not applicable (AE), located as ERR-2 locates it; never carries patient data. */
export class AdtRefusal extends Error {
  readonly error: Hl7Error;
  constructor(error: Hl7Error) {
    super(error.text);
    this.error = error;
  }
}

export const refuse = (
  segment: string,
  field: number | undefined,
  code: number,
  text: string,
  sequence?: number,
) =>
  new AdtRefusal({
    segment,
    ...(sequence !== undefined ? { sequence } : {}),
    ...(field !== undefined ? { field } : {}),
    code,
    text,
  });
