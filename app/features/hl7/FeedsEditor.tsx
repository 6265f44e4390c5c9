import { Button, Group, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Hl7Feed, Hl7FeedRequest } from '../../../domain/schemas/hl7.ts';
import { api } from '../../api/client.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

function FeedForm({ feed, onDone }: { feed?: Hl7Feed; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState({
    sendingFacility: feed?.sendingFacility ?? '',
    assigningAuthority: feed?.assigningAuthority ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: (body: unknown) =>
      feed
        ? api.patch<Hl7Feed>(`/api/hl7/feeds/${feed.id}`, body)
        : api.post<Hl7Feed>('/api/hl7/feeds', body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['hl7', 'feeds'] });
      if (!feed) setValues({ sendingFacility: '', assigningAuthority: '' });
      onDone();
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(Hl7FeedRequest, values);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    save.mutate(checked.data);
  }
  const prefix = feed ? `Feed ${feed.sendingFacility}: ` : '';
  return (
    <form onSubmit={submit} noValidate aria-label={feed ? `Edit feed ${feed.sendingFacility}` : 'New feed'}>
      <Group align="flex-start">
        <TextInput
          label={`${prefix}sending facility (MSH-4)`}
          required
          w={240}
          value={values.sendingFacility}
          onChange={(e) => setValues({ ...values, sendingFacility: e.currentTarget.value })}
          error={errors.sendingFacility}
        />
        <TextInput
          label={`${prefix}assigning authority of the MRN (PID-3.4)`}
          description="Empty: the MR identifier, else the first"
          w={300}
          value={values.assigningAuthority}
          onChange={(e) => setValues({ ...values, assigningAuthority: e.currentTarget.value })}
          error={errors.assigningAuthority}
        />
        <Button type="submit" mt={25} loading={save.isPending}>
          {feed ? 'Save' : 'Add feed'}
        </Button>
        {feed && (
          <Button variant="default" mt={25} onClick={onDone}>
            Cancel
          </Button>
        )}
      </Group>
      <ProblemAlert error={save.error && Object.keys(errors).length === 0 ? save.error : null} />
    </form>
  );
}

/** Which sending facility belongs to this organisation, and which identifier is its MRN. */
export function FeedsEditor() {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const feeds = useQuery({
    queryKey: ['hl7', 'feeds'],
    queryFn: () => api.get<{ items: Hl7Feed[] }>('/api/hl7/feeds'),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/hl7/feeds/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['hl7', 'feeds'] }),
  });
  return (
    <section aria-labelledby="hl7-feeds-heading">
      <Title order={2} size="h4" id="hl7-feeds-heading" mb="xs">
        Feeds
      </Title>
      <ProblemAlert error={feeds.error ?? remove.error} />
      <Table striped mb="sm">
        <Table.Caption>
          Sending facilities routed to this organisation (with one organisation, every message comes here)
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Sending facility</Table.Th>
            <Table.Th scope="col">Assigning authority</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {feeds.data?.items.map((f) =>
            editing === f.id ? (
              <Table.Tr key={f.id}>
                <Table.Td colSpan={3}>
                  <FeedForm feed={f} onDone={() => setEditing(null)} />
                </Table.Td>
              </Table.Tr>
            ) : (
              <Table.Tr key={f.id}>
                <Table.Td>{f.sendingFacility}</Table.Td>
                <Table.Td>{f.assigningAuthority ?? 'MR type, else first'}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setEditing(f.id)}
                      aria-label={`Edit feed ${f.sendingFacility}`}
                    >
                      Edit
                    </Button>
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      onClick={() => remove.mutate(f.id)}
                      aria-label={`Delete feed ${f.sendingFacility}`}
                    >
                      Delete
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ),
          )}
          {feeds.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={3}>No feed configured.</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <FeedForm onDone={() => {}} />
    </section>
  );
}
