import { Button, Group, Modal, Text, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, lastApiActivityAt, setCsrfToken } from '../../api/client.ts';
import { ME_KEY, useMe, useSignOut } from './session.ts';

const WARN_BEFORE_MS = 2 * 60 * 1000;

/** Warns two minutes before the server ends an idle session, and offers to keep it. */
export function IdleTimeoutWarning() {
  const { data: me } = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  const idleMs = (me?.session.idleTimeoutSeconds ?? 0) * 1000;
  const lastSeen = Math.max(me ? Date.parse(me.session.lastSeenAt) : 0, lastApiActivityAt());
  const remainingMs = idleMs > 0 ? lastSeen + idleMs - now : Number.POSITIVE_INFINITY;
  const expired = remainingMs <= 0;

  useEffect(() => {
    if (!expired) return;
    setCsrfToken(null);
    queryClient.clear();
    queryClient.setQueryData(ME_KEY, null);
    const minutes = Math.round(idleMs / 60000);
    void navigate('/sign-in', {
      replace: true,
      state: {
        message: `You were signed out after ${minutes} minutes without activity. Sign in to continue.`,
      },
    });
  }, [expired, idleMs, navigate, queryClient]);

  const open = !expired && remainingMs <= WARN_BEFORE_MS;
  const seconds = Math.max(0, Math.ceil(remainingMs / 1000));

  async function stay() {
    setBusy(true);
    try {
      await api.post('/api/auth/keepalive');
      setNow(Date.now());
    } finally {
      setBusy(false);
    }
  }

  async function leave() {
    await signOut();
    await navigate('/sign-in', { replace: true, state: { message: 'You have signed out.' } });
  }

  return (
    <Modal opened={open} onClose={stay} title="Are you still there?" centered withCloseButton={false}>
      <Text>You will be signed out in {seconds} seconds.</Text>
      {/* Announce only each quarter minute, so a screen reader is not flooded every second. */}
      <VisuallyHidden aria-live="polite">
        {`About ${seconds > 15 ? Math.ceil(seconds / 15) * 15 : seconds} seconds left before you are signed out.`}
      </VisuallyHidden>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={leave}>
          Sign out
        </Button>
        <Button onClick={stay} loading={busy} data-autofocus>
          Stay signed in
        </Button>
      </Group>
    </Modal>
  );
}
