import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiTokenCreateRequest } from '../../../domain/schemas/admin.ts';
import { api, type Page } from '../../api/client.ts';
import type { ApiTokenCreated, ApiTokenSummary, UserSummary } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

function NewToken({ onCreated }: { onCreated: (created: ApiTokenCreated) => void }) {
  const [values, setValues] = useState<{
    userId: string | null;
    name: string;
    expiresInDays: number | string;
  }>({ userId: null, name: '', expiresInDays: 90 });
  const [errors, setErrors] = useState<FieldErrors>({});
  const users = useQuery({
    queryKey: ['admin', 'users', 'for-tokens'],
    queryFn: () => api.get<Page<UserSummary>>('/api/admin/users?pageSize=200'),
  });
  const create = useMutation({
    mutationFn: (body: unknown) => api.post<ApiTokenCreated>('/api/admin/tokens', body),
    onSuccess: onCreated,
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(ApiTokenCreateRequest, {
      userId: values.userId ?? '',
      name: values.name,
      expiresInDays: values.expiresInDays === '' ? undefined : values.expiresInDays,
    });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    create.mutate(checked.data);
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-token-heading">
      <Title order={2} size="h4" id="new-token-heading" mb="xs">
        New API token
      </Title>
      <Group align="flex-start">
        <Select
          label="Account"
          searchable
          required
          w={280}
          data={(users.data?.items ?? [])
            .filter((u) => !u.disabled)
            .map((u) => ({ value: u.id, label: `${u.displayName} (${u.email})` }))}
          value={values.userId}
          onChange={(userId) => setValues({ ...values, userId })}
          error={errors.userId ? 'Choose an account' : undefined}
        />
        <TextInput
          label="Token name"
          required
          placeholder="e.g. EHR integration"
          value={values.name}
          onChange={(e) => setValues({ ...values, name: e.currentTarget.value })}
          error={errors.name}
        />
        <NumberInput
          label="Expires after (days)"
          min={1}
          max={3650}
          value={values.expiresInDays}
          onChange={(expiresInDays) => setValues({ ...values, expiresInDays })}
          error={errors.expiresInDays}
          w={170}
        />
        <Button type="submit" mt={25} loading={create.isPending}>
          Create token
        </Button>
      </Group>
      <ProblemAlert error={create.error && Object.keys(errors).length === 0 ? create.error : null} />
    </form>
  );
}

/** API tokens for integrations; the secret is shown once, when created. */
export function TokensPage() {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const tokens = useQuery({
    queryKey: ['admin', 'tokens'],
    queryFn: () => api.get<ApiTokenSummary[]>('/api/admin/tokens'),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/admin/tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'tokens'] }),
  });
  return (
    <Stack>
      <PageTitle>API tokens</PageTitle>
      {created && (
        <Alert
          color="green"
          title={`Token “${created.apiToken.name}” created`}
          withCloseButton
          onClose={() => setCreated(null)}
          closeButtonLabel="Dismiss"
        >
          <Stack gap="xs">
            Copy it now: it will not be shown again.
            <Group>
              <Code fz="sm" aria-label="New API token">
                {created.token}
              </Code>
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <Button size="xs" onClick={copy}>
                    {copied ? 'Copied' : 'Copy token'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}
      <NewToken
        onCreated={async (result) => {
          setCreated(result);
          await queryClient.invalidateQueries({ queryKey: ['admin', 'tokens'] });
        }}
      />
      <ProblemAlert error={tokens.error ?? revoke.error} />
      <Table.ScrollContainer minWidth={800}>
        <Table striped>
          <Table.Caption>API tokens</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Account</Table.Th>
              <Table.Th scope="col">Starts with</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col">Expires</Table.Th>
              <Table.Th scope="col">Last used</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data?.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td>{token.name}</Table.Td>
                <Table.Td>{token.userEmail}</Table.Td>
                <Table.Td>
                  <Code>{token.prefix}</Code>
                </Table.Td>
                <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
                <Table.Td>{token.expiresAt ? formatDateTime(token.expiresAt) : 'Never'}</Table.Td>
                <Table.Td>{formatDateTime(token.lastUsedAt)}</Table.Td>
                <Table.Td>
                  {token.revokedAt ? (
                    `Revoked ${formatDateTime(token.revokedAt)}`
                  ) : (
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      onClick={() => revoke.mutate(token.id)}
                      aria-label={`Revoke token ${token.name}`}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
