import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatCalendarDate } from '../../components/dates.ts';
import { CONTACT_METHOD_LABELS } from './labels.tsx';
import type { ContactPreferences, ReferralOutcome } from './types.ts';

/** Label–value rows, read as a table by screen readers (row headers name each value). */
export function FactTable({
  rows,
  label,
  large = false,
}: {
  rows: [string, ReactNode][];
  label: string;
  large?: boolean;
}) {
  return (
    <Table aria-label={label} withRowBorders={false} verticalSpacing={4} fz={large ? 'md' : 'sm'}>
      <Table.Tbody>
        {rows.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Th scope="row" w={large ? 170 : 150} fw={600} style={{ verticalAlign: 'top' }}>
              {name}
            </Table.Th>
            <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** How to reach the patient, as one line per preference. */
export function contactRows(c: ContactPreferences): [string, ReactNode][] {
  return [
    ['Reach by', c.methods.map((m) => CONTACT_METHOD_LABELS[m]).join(', ')],
    ...(c.phone ? [['Phone', c.phone] as [string, ReactNode]] : []),
    ...(c.email ? [['Email', c.email] as [string, ReactNode]] : []),
    ...(c.bestTimes ? [['Best times', c.bestTimes] as [string, ReactNode]] : []),
    ...(c.language ? [['Language', c.language] as [string, ReactNode]] : []),
    ...(c.interpreterNeeded ? [['Interpreter', 'Needed'] as [string, ReactNode]] : []),
  ];
}

/** What the organisation reported: delivered or not, when, what. */
export function OutcomeText({ outcome }: { outcome: ReferralOutcome }) {
  return (
    <span>
      {outcome.delivered ? 'Delivered' : 'Not delivered'}
      {outcome.deliveredOn ? ` on ${formatCalendarDate(outcome.deliveredOn)}` : ''}: {outcome.what}
    </span>
  );
}
