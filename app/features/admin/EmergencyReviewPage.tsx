import { Anchor, Button, Group, SegmentedControl, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmergencyAccessReviewRequest } from '../../../domain/schemas/admin.ts';
import { api } from '../../api/client.ts';
import type { EmergencyAccessReview } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import { checkWith, fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

function ReviewForm({ grant }: { grant: EmergencyAccessReview }) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const review = useMutation({
    mutationFn: (body: { note: string }) => api.post(`/api/admin/emergency-access/${grant.id}/review`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'emergency-access'] }),
    onError: (e) => setError(fieldErrorsOf(e).note),
  });
  return (
    <Group align="flex-end" wrap="nowrap">
      <Textarea
        label={`Review note for ${grant.userEmail}`}
        autosize
        minRows={1}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        error={error}
        w={260}
      />
      <Button
        size="sm"
        loading={review.isPending}
        onClick={() => {
          const checked = checkWith(EmergencyAccessReviewRequest, { note });
          if (!checked.ok) return setError(checked.errors.note);
          setError(undefined);
          review.mutate(checked.data);
        }}
      >
        Mark reviewed
      </Button>
    </Group>
  );
}

/** Break-the-glass openings of charts, for a supervisor or admin to review. */
export function EmergencyReviewPage() {
  const [status, setStatus] = useState<'pending' | 'all'>('pending');
  const grants = useQuery({
    queryKey: ['admin', 'emergency-access', status],
    queryFn: () => api.get<EmergencyAccessReview[]>(`/api/admin/emergency-access?status=${status}`),
  });
  return (
    <Stack>
      <PageTitle>Emergency access review</PageTitle>
      <SegmentedControl
        aria-label="Which emergency accesses to show"
        w="fit-content"
        value={status}
        onChange={(v) => setStatus(v as 'pending' | 'all')}
        data={[
          { value: 'pending', label: 'Waiting for review' },
          { value: 'all', label: 'All' },
        ]}
      />
      <ProblemAlert error={grants.error} />
      {grants.data?.length === 0 && <Text>Nothing is waiting for review.</Text>}
      {grants.data && grants.data.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped>
            <Table.Caption>Emergency accesses</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Who</Table.Th>
                <Table.Th scope="col">Patient</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col">Opened</Table.Th>
                <Table.Th scope="col">Until</Table.Th>
                <Table.Th scope="col">Review</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {grants.data.map((grant) => (
                <Table.Tr key={grant.id}>
                  <Table.Td>{grant.userEmail}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${grant.patientId}`}>
                      {grant.patientName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{grant.reason}</Table.Td>
                  <Table.Td>{formatDateTime(grant.grantedAt)}</Table.Td>
                  <Table.Td>{formatDateTime(grant.expiresAt)}</Table.Td>
                  <Table.Td>
                    {grant.reviewedAt ? (
                      `Reviewed ${formatDateTime(grant.reviewedAt)}: ${grant.reviewNote ?? ''}`
                    ) : (
                      <ReviewForm grant={grant} />
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
