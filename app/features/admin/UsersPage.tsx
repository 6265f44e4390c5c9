import { Badge, Button, Group, Modal, Select, Stack, Table, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role } from '../../../domain/roles.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import type { UserSummary } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { describeProblem, ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ROLE_OPTIONS, UserCreateForm } from './UserCreateForm.tsx';

type UserChange = { role?: Role; disabled?: boolean };

/** People and service accounts of the organisation: roles, access and second factors. */
export function UsersPage() {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const [creating, { open, close }] = useDisclosure(false);
  const users = useQuery({
    queryKey: ['admin', 'users', q, page],
    queryFn: () => api.get<Page<UserSummary>>(`/api/admin/users${toQuery({ q, page })}`),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
  const failed = (error: unknown) => notifications.show({ color: 'red', message: describeProblem(error) });
  const change = useMutation({
    mutationFn: ({ id, ...body }: UserChange & { id: string }) =>
      api.patch<UserSummary>(`/api/admin/users/${id}`, body),
    onSuccess: refresh,
    onError: failed,
  });
  const resetMfa = useMutation({
    mutationFn: (user: UserSummary) => api.post(`/api/admin/users/${user.id}/reset-mfa`),
    onSuccess: async (_, user) => {
      notifications.show({
        message: `Two-step sign-in reset for ${user.displayName}. They will set it up again at next sign-in.`,
      });
      await refresh();
    },
    onError: failed,
  });

  return (
    <Stack>
      <PageTitle actions={<Button onClick={open}>New user</Button>}>Users</PageTitle>
      <TextInput
        label="Search users"
        description="Name or email"
        type="search"
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPage(1);
        }}
        w={320}
      />
      <ProblemAlert error={users.error} />
      <Table.ScrollContainer minWidth={900}>
        <Table striped>
          <Table.Caption>Users of the organisation</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Two-step</Table.Th>
              <Table.Th scope="col">Last sign-in</Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data?.items.map((user) => (
              <Table.Tr key={user.id}>
                <Table.Td>
                  {user.displayName}{' '}
                  {user.kind === 'service' && (
                    <Badge size="sm" variant="light">
                      Service
                    </Badge>
                  )}{' '}
                  {user.disabled && (
                    <Badge size="sm" color="gray">
                      Disabled
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{user.email}</Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Role of ${user.displayName}`}
                    size="xs"
                    allowDeselect={false}
                    data={ROLE_OPTIONS}
                    value={user.role}
                    onChange={(role) =>
                      role && role !== user.role && change.mutate({ id: user.id, role: role as Role })
                    }
                    w={170}
                  />
                </Table.Td>
                <Table.Td>{user.mfaEnabled ? 'On' : 'Off'}</Table.Td>
                <Table.Td>{formatDateTime(user.lastSignInAt)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => change.mutate({ id: user.id, disabled: !user.disabled })}
                      aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.displayName}`}
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </Button>
                    {user.mfaEnabled && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => resetMfa.mutate(user)}
                        aria-label={`Reset MFA for ${user.displayName}`}
                      >
                        Reset MFA
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager result={users.data} page={page} onChange={setPage} />
      <Modal opened={creating} onClose={close} title="New user" size="lg">
        <UserCreateForm
          onCreated={async (user) => {
            close();
            notifications.show({ message: `${user.displayName} can now sign in.` });
            await refresh();
          }}
        />
      </Modal>
    </Stack>
  );
}
