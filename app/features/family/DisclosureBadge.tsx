import { Badge, type MantineColor } from '@mantine/core';
import { type DisclosureStatus, disclosureText } from '../../../domain/contacts.ts';
import { formatCalendarDate } from '../../components/dates.ts';
import type { Disclosure } from './types.ts';

// Dark fills with white text: each above 4.5:1 (Mantine's green and orange shades are not, even at 9).
const COLORS: Record<DisclosureStatus, MantineColor> = {
  authorised: '#1e6b30',
  'personal-representative': '#1864ab',
  expired: '#9c3d00',
  'not-authorised': '#343a40',
};

/**
 * "May be told: ..." for a contact, the same on every screen where staff speak with family: what the patient
 * authorised and until when, that an authorisation ran out, or that the person is a legal representative.
 */
export function DisclosureBadge({ disclosure, size = 'md' }: { disclosure: Disclosure; size?: string }) {
  return (
    <Badge
      color={COLORS[disclosure.status]}
      variant="filled"
      size={size}
      radius="sm"
      tt="none"
      h="auto"
      py={2}
      styles={{ label: { whiteSpace: 'normal', lineHeight: 1.4 } }}
    >
      {disclosureText(disclosure, formatCalendarDate)}
    </Badge>
  );
}
