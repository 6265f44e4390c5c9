import { Alert, Anchor, Button, Code, Group, List, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { Hl7MessageDetail } from '../../../domain/schemas/hl7.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { OutcomeBadge } from './Hl7MessagesPage.tsx';

/** One message: its facts, errors, raw text (segments on lines) and a replay button. */
export function Hl7MessagePage() {
  const { messageId } = useParams();
  const queryClient = useQueryClient();
  const message = useQuery({
    queryKey: ['hl7', 'message', messageId],
    queryFn: () => api.get<Hl7MessageDetail>(`/api/hl7/messages/${messageId}`),
  });
  const replay = useMutation({
    mutationFn: () => api.post(`/api/hl7/messages/${messageId}/replay`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['hl7'] }),
  });
  const m = message.data;
  const canReplay = m && m.outcome !== 'applied' && m.outcome !== 'duplicate';
  return (
    <Stack>
      <PageTitle
        actions={
          canReplay && (
            <Button onClick={() => replay.mutate()} loading={replay.isPending}>
              Apply again
            </Button>
          )
        }
      >
        {m ? `Message ${m.controlId ?? m.id}` : 'HL7 message'}
      </PageTitle>
      <Anchor component={Link} to="/admin/hl7">
        Back to the ADT feed
      </Anchor>
      <ProblemAlert error={message.error ?? replay.error} />
      {replay.isSuccess && <Alert color="blue">Applied again: the outcome below is the new one.</Alert>}
      {m && (
        <>
          <Table variant="vertical" withTableBorder maw={640}>
            <Table.Caption>Message facts</Table.Caption>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">Outcome</Table.Th>
                <Table.Td>
                  <Group gap="xs">
                    <OutcomeBadge outcome={m.outcome} /> ACK {m.ackCode ?? '—'}
                  </Group>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Received</Table.Th>
                <Table.Td>
                  {formatDateTime(m.receivedAt)} over {m.transport}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Type</Table.Th>
                <Table.Td>
                  {m.messageType ?? '—'} (version {m.version ?? '—'})
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Sender</Table.Th>
                <Table.Td>
                  {[m.sendingApplication, m.sendingFacility].filter(Boolean).join(' / ') || '—'}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Applied</Table.Th>
                <Table.Td>{m.appliedAt ? formatDateTime(m.appliedAt) : 'No'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Patient</Table.Th>
                <Table.Td>
                  {m.patientId ? (
                    <Anchor component={Link} to={`/patients/${m.patientId}`}>
                      Open the chart
                    </Anchor>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Replays</Table.Th>
                <Table.Td>
                  {m.replays}
                  {m.lastReplayedAt ? `, last ${formatDateTime(m.lastReplayedAt)}` : ''}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <section aria-labelledby="hl7-errors-heading">
            <Title order={2} size="h4" id="hl7-errors-heading">
              Errors
            </Title>
            {m.errors.length === 0 ? (
              'None'
            ) : (
              <List>
                {m.errors.map((e) => (
                  <List.Item key={`${e.code}-${e.segment}-${e.sequence}-${e.field}-${e.component}-${e.text}`}>
                    {[e.segment, e.sequence, e.field, e.component].filter((v) => v !== undefined).join('-')}:
                    code {e.code}, {e.text}
                  </List.Item>
                ))}
              </List>
            )}
          </section>
          <section aria-labelledby="hl7-raw-heading">
            <Title order={2} size="h4" id="hl7-raw-heading">
              Message text
            </Title>
            <Code
              block
              aria-label="Raw HL7 message"
              tabIndex={0}
              style={{ whiteSpace: 'pre', overflowX: 'auto' }}
            >
              {m.raw.split(/\r\n|\r|\n/).join('\n')}
            </Code>
          </section>
        </>
      )}
    </Stack>
  );
}
