import { Badge, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { NewsletterListCreateRequest, type NewsletterListView } from '../../../domain/schemas/newsletter.ts';
import { api } from '../../api/client.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { describeProblem, ProblemAlert } from '../../components/ProblemAlert.tsx';

export const LISTS_KEY = ['newsletter', 'lists'] as const;

/** One list's row: rename in place, retire it or offer it again. */
function ListRow({ list }: { list: NewsletterListView }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(list.name);
  const change = useMutation({
    mutationFn: (body: { name?: string; retired?: boolean }) =>
      api.patch<NewsletterListView>(`/api/newsletter/lists/${list.id}`, body),
    onSuccess: async (saved) => {
      notifications.show({ message: `${saved.name} saved.` });
      await queryClient.invalidateQueries({ queryKey: ['newsletter'] });
    },
    onError: (error) => notifications.show({ color: 'red', message: describeProblem(error) }),
  });
  const retired = Boolean(list.retiredAt);
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            aria-label={`Name of the list ${list.slug}`}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            w={220}
          />
          <Button
            variant="default"
            size="xs"
            disabled={name.trim() === list.name || !name.trim()}
            onClick={() => change.mutate({ name: name.trim() })}
          >
            Rename
          </Button>
        </Group>
      </Table.Td>
      <Table.Td>{list.slug}</Table.Td>
      <Table.Td>{list.subscribers}</Table.Td>
      <Table.Td>
        {retired ? <Badge color="gray">Retired</Badge> : <Badge color="green">Offered</Badge>}
      </Table.Td>
      <Table.Td>
        <Button
          variant="subtle"
          size="xs"
          loading={change.isPending}
          onClick={() => change.mutate({ retired: !retired })}
        >
          {retired ? `Offer ${list.name} again` : `Retire ${list.name}`}
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

/** The lists offered on the sign-up form: their subscribers, names, and new ones. */
export function ListsEditor() {
  const queryClient = useQueryClient();
  const lists = useQuery({
    queryKey: LISTS_KEY,
    queryFn: () => api.get<NewsletterListView[]>('/api/newsletter/lists'),
  });
  const [draft, setDraft] = useState({ slug: '', name: '', description: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: NewsletterListCreateRequest) =>
      api.post<NewsletterListView>('/api/newsletter/lists', body),
    onSuccess: async (created) => {
      notifications.show({ message: `${created.name} is offered on the sign-up form.` });
      setDraft({ slug: '', name: '', description: '' });
      await queryClient.invalidateQueries({ queryKey: ['newsletter'] });
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(NewsletterListCreateRequest, draft);
    setErrors(checked.ok ? {} : checked.errors);
    if (checked.ok) create.mutate(checked.data);
  }
  return (
    <Stack component="section" aria-labelledby="newsletter-lists-heading">
      <Title order={2} size="h4" id="newsletter-lists-heading">
        Lists
      </Title>
      <Text c="dimmed" size="sm">
        People choose lists when they sign up. A retired list is no longer offered; its subscribers keep it
        until they change their preferences.
      </Text>
      <ProblemAlert error={lists.error} />
      <Table.ScrollContainer minWidth={700}>
        <Table>
          <Table.Caption>Lists, with their active subscribers</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Short name</Table.Th>
              <Table.Th scope="col">Subscribers</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lists.data?.map((list) => (
              <ListRow key={`${list.id}-${list.name}`} list={list} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <form onSubmit={submit} aria-labelledby="newsletter-new-list-heading">
        <Title order={3} size="h5" id="newsletter-new-list-heading" mb="xs">
          New list
        </Title>
        <Group align="flex-start">
          <TextInput
            label="Name"
            required
            value={draft.name}
            error={errors.name}
            onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
          />
          <TextInput
            label="Short name"
            description="Lower-case letters, digits and dashes"
            required
            value={draft.slug}
            error={errors.slug}
            onChange={(e) => setDraft({ ...draft, slug: e.currentTarget.value })}
          />
          <TextInput
            label="Description"
            w={320}
            value={draft.description}
            error={errors.description}
            onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })}
          />
          <Button type="submit" mt={24} loading={create.isPending}>
            Add the list
          </Button>
        </Group>
      </form>
    </Stack>
  );
}
