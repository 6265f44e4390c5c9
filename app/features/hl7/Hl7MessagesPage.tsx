import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { HL7_OUTCOMES, type Hl7MessageSummary } from '../../../domain/schemas/hl7.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { FeedsEditor } from './FeedsEditor.tsx';

export const OUTCOME_LABELS: Record<(typeof HL7_OUTCOMES)[number], string> = {
  received: 'Received',
  applied: 'Applied',
  duplicate: 'Duplicate',
  error: 'Error',
  rejected: 'Rejected',
};
const OUTCOME_COLORS: Record<string, string> = {
  applied: 'green',
  duplicate: 'gray',
  error: 'orange',
  rejected: 'red',
  received: 'blue',
};

export function OutcomeBadge({ outcome }: { outcome: Hl7MessageSummary['outcome'] }) {
  return (
    <Badge color={OUTCOME_COLORS[outcome]} variant="light">
      {OUTCOME_LABELS[outcome]}
    </Badge>
  );
}

/** The ADT feed: messages received with their outcome (filterable), and the feeds that route them. */
export function Hl7MessagesPage() {
  const [filters, setFilters] = useState({ outcome: '', event: '', q: '' });
  const [draft, setDraft] = useState(filters);
  const [page, setPage] = useState(1);
  const messages = useQuery({
    queryKey: ['hl7', 'messages', filters, page],
    queryFn: () =>
      api.get<Page<Hl7MessageSummary>>(`/api/hl7/messages${toQuery({ ...filters, page, pageSize: 50 })}`),
  });
  function apply(event: FormEvent) {
    event.preventDefault();
    setPage(1);
    setFilters({ ...draft, event: draft.event.trim().toUpperCase() });
  }
  return (
    <Stack>
      <PageTitle>ADT feed</PageTitle>
      <Text c="dimmed" size="sm">
        HL7 v2 messages from the hospital&apos;s interface engine, each stored before it is acknowledged. Open
        a message to see its text and errors, and to apply it again once the cause is fixed.
      </Text>
      <section aria-labelledby="hl7-messages-heading">
        <Title order={2} size="h4" id="hl7-messages-heading" mb="xs">
          Messages
        </Title>
        <form onSubmit={apply} aria-label="Filter messages">
          <Group align="flex-end" mb="sm">
            <Select
              label="Outcome"
              clearable
              w={170}
              data={HL7_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
              value={draft.outcome || null}
              onChange={(outcome) => setDraft({ ...draft, outcome: outcome ?? '' })}
            />
            <TextInput
              label="Event"
              placeholder="e.g. A01"
              w={110}
              value={draft.event}
              onChange={(e) => setDraft({ ...draft, event: e.currentTarget.value })}
            />
            <TextInput
              label="Control id or sender"
              w={220}
              value={draft.q}
              onChange={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
            />
            <Button type="submit">Filter</Button>
          </Group>
        </form>
        <ProblemAlert error={messages.error} />
        <Table.ScrollContainer minWidth={800}>
          <Table striped>
            <Table.Caption>
              {messages.data ? `${messages.data.total} message(s), newest first` : 'Messages received'}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Received</Table.Th>
                <Table.Th scope="col">Event</Table.Th>
                <Table.Th scope="col">Control id</Table.Th>
                <Table.Th scope="col">Sender</Table.Th>
                <Table.Th scope="col">Transport</Table.Th>
                <Table.Th scope="col">Outcome</Table.Th>
                <Table.Th scope="col">ACK</Table.Th>
                <Table.Th scope="col">Error</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {messages.data?.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/hl7/${m.id}`}>
                      {formatDateTime(m.receivedAt)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{m.messageType ?? '—'}</Table.Td>
                  <Table.Td>{m.controlId ?? '—'}</Table.Td>
                  <Table.Td>
                    {[m.sendingApplication, m.sendingFacility].filter(Boolean).join(' / ') || '—'}
                  </Table.Td>
                  <Table.Td>{m.transport}</Table.Td>
                  <Table.Td miw={120}>
                    <OutcomeBadge outcome={m.outcome} />
                  </Table.Td>
                  <Table.Td>{m.ackCode ?? '—'}</Table.Td>
                  <Table.Td>{m.errors[0] ? `${m.errors[0].code}: ${m.errors[0].text}` : ''}</Table.Td>
                </Table.Tr>
              ))}
              {messages.data?.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>No messages match.</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Pager result={messages.data} page={page} onChange={setPage} />
      </section>
      <FeedsEditor />
    </Stack>
  );
}
