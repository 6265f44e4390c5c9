import type { z } from 'zod';
import type * as Contacts from '../../../domain/schemas/contacts.ts';

export type Contact = z.infer<typeof Contacts.Contact>;
export type ContactList = z.infer<typeof Contacts.ContactList>;
export type ContactCreate = z.input<typeof Contacts.ContactCreateRequest>;
export type ContactUpdate = z.input<typeof Contacts.ContactUpdateRequest>;
export type Disclosure = z.infer<typeof Contacts.Disclosure>;
