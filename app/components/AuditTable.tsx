import { Badge, Table } from '@mantine/core';
import type { AuditEvent } from '../api/types.ts';
import { formatDateTime } from './dates.ts';

/** Audit events as a table: who, when, what, and whether it was under emergency access. */
export function AuditTable({
  events,
  caption,
  showPatient = false,
}: {
  events: AuditEvent[];
  caption: string;
  showPatient?: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Outcome</Table.Th>
            {showPatient && <Table.Th scope="col">Patient</Table.Th>}
            <Table.Th scope="col">Record</Table.Th>
            <Table.Th scope="col">Reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td>{formatDateTime(event.occurredAt)}</Table.Td>
              <Table.Td>
                {event.actorLabel ?? 'System'}
                {event.actorRole ? ` (${event.actorRole})` : ''}
              </Table.Td>
              <Table.Td>
                {event.action}{' '}
                {event.emergency && (
                  <Badge color="red" size="sm">
                    Emergency
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{event.outcome}</Table.Td>
              {showPatient && <Table.Td>{event.patientId ?? '—'}</Table.Td>}
              <Table.Td>
                {event.recordKind
                  ? `${event.recordKind}${event.recordId ? ` ${event.recordId.slice(0, 8)}` : ''}`
                  : '—'}
              </Table.Td>
              <Table.Td>{event.reason ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
