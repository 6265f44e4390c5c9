import { v7 } from 'uuid';

/** A new time-ordered UUID (v7): indexes stay append-friendly. */
export const newId = (): string => v7();
