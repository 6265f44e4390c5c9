import { Button, Container, Group, Paper, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { MfaEnrolment } from './MfaEnrolment.tsx';
import { ME_KEY, useSignedInUser, useSignOut } from './session.ts';

/** The only screen a user sees until they have enrolled a second factor, when one is required. */
export function MfaEnrolmentPage() {
  const user = useSignedInUser();
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const navigate = useNavigate();
  useEffect(() => {
    document.title = 'Set up two-step sign-in · Kith';
  }, []);

  return (
    <>
      <header>
        <Group justify="space-between" p="md" bg="teal.8" c="white">
          <Text fw={700}>{user.organization.name}</Text>
          <Button
            variant="white"
            size="xs"
            onClick={async () => {
              await signOut();
              await navigate('/sign-in', { replace: true });
            }}
          >
            Sign out
          </Button>
        </Group>
      </header>
      <Container component="main" id="main" size="sm" py="xl">
        <Paper withBorder p="xl" radius="md">
          <Title order={1} size="h2" mb="sm">
            Set up two-step sign-in
          </Title>
          <Text mb="md">
            {user.role === 'admin'
              ? 'Administrators must use two-step sign-in.'
              : `${user.organization.name} requires two-step sign-in.`}{' '}
            You need to set it up before you continue.
          </Text>
          <MfaEnrolment onDone={() => queryClient.invalidateQueries({ queryKey: ME_KEY })} />
        </Paper>
      </Container>
    </>
  );
}
