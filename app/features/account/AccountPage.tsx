import { Badge, Button, Card, Group, PasswordInput, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { ChangePasswordRequest, MfaDisableRequest } from '../../../domain/schemas/auth.ts';
import { api } from '../../api/client.ts';
import type { SessionSummary } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { MfaEnrolment } from '../auth/MfaEnrolment.tsx';
import { ME_KEY, useSignedInUser, useSignOut } from '../auth/session.ts';
import { EmailPreferences } from '../notifications/EmailPreferences.tsx';

function TwoStepSignIn() {
  const user = useSignedInUser();
  const queryClient = useQueryClient();
  const [enrolling, setEnrolling] = useState(false);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const disable = useMutation({
    mutationFn: (body: { password: string }) => api.post('/api/auth/mfa/disable', body),
    onSuccess: async () => {
      setPassword('');
      notifications.show({ message: 'Two-step sign-in is off.' });
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });

  function submitDisable(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(MfaDisableRequest, { password });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    disable.mutate(checked.data);
  }

  return (
    <Card withBorder component="section" aria-labelledby="mfa-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="mfa-heading">
          Two-step sign-in
        </Title>
        {/* Light: the theme gives it near-black text; white on filled green is below 4.5:1. */}
        <Badge color={user.mfaEnabled ? 'green' : 'gray'} variant="light">
          {user.mfaEnabled ? 'On' : 'Off'}
        </Badge>
      </Group>
      {!user.mfaEnabled && !enrolling && (
        <Button onClick={() => setEnrolling(true)} w="fit-content">
          Turn on two-step sign-in
        </Button>
      )}
      {!user.mfaEnabled && enrolling && (
        <MfaEnrolment
          onDone={() => {
            setEnrolling(false);
            void queryClient.invalidateQueries({ queryKey: ME_KEY });
          }}
        />
      )}
      {user.mfaEnabled && (
        <form onSubmit={submitDisable} noValidate>
          <Stack maw={400}>
            <Text size="sm">To turn two-step sign-in off, confirm your password.</Text>
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={errors.password}
              // Mantine's PasswordInput sets data-invalid only; tell assistive technology too.
              aria-invalid={errors.password ? true : undefined}
            />
            <ProblemAlert error={disable.error && !errors.password ? disable.error : null} />
            <Button type="submit" color="red" variant="light" loading={disable.isPending} w="fit-content">
              Turn off two-step sign-in
            </Button>
          </Stack>
        </form>
      )}
    </Card>
  );
}

function ChangePassword() {
  const [values, setValues] = useState({ currentPassword: '', newPassword: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const change = useMutation({
    mutationFn: (body: typeof values) => api.post('/api/auth/password', body),
    onSuccess: () => {
      setValues({ currentPassword: '', newPassword: '' });
      notifications.show({ message: 'Your password has been changed.' });
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(ChangePasswordRequest, values);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    change.mutate(checked.data);
  }

  return (
    <Card withBorder component="section" aria-labelledby="password-heading">
      <Title order={2} size="h4" id="password-heading" mb="sm">
        Change password
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack maw={400}>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            value={values.currentPassword}
            onChange={(e) => setValues({ ...values, currentPassword: e.currentTarget.value })}
            error={errors.currentPassword}
            // Mantine's PasswordInput sets data-invalid only; tell assistive technology too.
            aria-invalid={errors.currentPassword ? true : undefined}
          />
          <PasswordInput
            label="New password"
            description="At least 12 characters. A short sentence is easy to remember."
            autoComplete="new-password"
            value={values.newPassword}
            onChange={(e) => setValues({ ...values, newPassword: e.currentTarget.value })}
            error={errors.newPassword}
            // Mantine's PasswordInput sets data-invalid only; tell assistive technology too.
            aria-invalid={errors.newPassword ? true : undefined}
          />
          <ProblemAlert error={change.error && Object.keys(errors).length === 0 ? change.error : null} />
          <Button type="submit" loading={change.isPending} w="fit-content">
            Change password
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

function Sessions() {
  const signOut = useSignOut();
  const navigate = useNavigate();
  const sessions = useQuery({
    queryKey: ['auth', 'sessions'],
    queryFn: () => api.get<SessionSummary[]>('/api/auth/sessions'),
  });
  return (
    <Card withBorder component="section" aria-labelledby="sessions-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="sessions-heading">
          Where you are signed in
        </Title>
        <Button
          color="red"
          variant="light"
          onClick={async () => {
            await signOut(true);
            await navigate('/sign-in', {
              replace: true,
              state: { message: 'You have signed out of all sessions.' },
            });
          }}
        >
          Sign out of all sessions
        </Button>
      </Group>
      <ProblemAlert error={sessions.error} />
      <Table.ScrollContainer minWidth={560}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Signed in</Table.Th>
              <Table.Th scope="col">Last active</Table.Th>
              <Table.Th scope="col">Address</Table.Th>
              <Table.Th scope="col">Browser</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sessions.data?.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  {formatDateTime(s.createdAt)} {s.current && <Badge size="sm">This session</Badge>}
                </Table.Td>
                <Table.Td>{formatDateTime(s.lastSeenAt)}</Table.Td>
                <Table.Td>{s.ip ?? '—'}</Table.Td>
                <Table.Td>{s.userAgent ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** The signed-in user's own security settings. */
export function AccountPage() {
  const user = useSignedInUser();
  return (
    <Stack maw={900}>
      <PageTitle>Account</PageTitle>
      <Text>
        {user.displayName} · {user.email}
      </Text>
      <TwoStepSignIn />
      <ChangePassword />
      <EmailPreferences email={user.email} />
      <Sessions />
    </Stack>
  );
}
