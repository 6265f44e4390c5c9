import { Alert, Button, Code, CopyButton, Group, Image, List, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { MfaEnrolConfirmRequest } from '../../../domain/schemas/auth.ts';
import { api } from '../../api/client.ts';
import type { MfaEnrolConfirm, MfaEnrolStart } from '../../api/types.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

/**
 * Enrols an authenticator app: QR code and secret, a code to prove it works, then the recovery
 * codes, shown once. Used by the forced enrolment screen and by the Account page.
 */
export function MfaEnrolment({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const start = useMutation({ mutationFn: () => api.post<MfaEnrolStart>('/api/auth/mfa/enrol') });
  const confirm = useMutation({
    mutationFn: (body: { code: string }) => api.post<MfaEnrolConfirm>('/api/auth/mfa/confirm', body),
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  const started = useRef(false);

  useEffect(() => {
    // Once only: a second enrol call would replace the secret already on screen.
    if (started.current) return;
    started.current = true;
    start.mutate();
  }, [start]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(MfaEnrolConfirmRequest, { code });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    confirm.mutate(checked.data);
  }

  if (confirm.data) {
    const codes = confirm.data.recoveryCodes;
    return (
      <Stack>
        <Alert color="green" role="status" title="Two-step sign-in is on">
          Keep these recovery codes somewhere safe: print them or copy them into your password manager. Each
          one works once, if you lose your authenticator. They will not be shown again.
        </Alert>
        <List aria-label="Recovery codes" spacing={4} listStyleType="none">
          {codes.map((c) => (
            <List.Item key={c}>
              <Code fz="md">{c}</Code>
            </List.Item>
          ))}
        </List>
        <Group>
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy recovery codes'}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" onClick={() => window.print()}>
            Print
          </Button>
          <Button onClick={onDone}>I have saved my recovery codes, continue</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack>
      <ProblemAlert error={start.error} />
      {start.isPending && <Text role="status">Preparing your set-up code…</Text>}
      {start.data && (
        <>
          <Text>
            Scan this QR code with an authenticator app (for example Microsoft Authenticator, Google
            Authenticator or 1Password), or type the secret key into it.
          </Text>
          <Image
            src={start.data.qrCodeDataUrl}
            alt="QR code to add Kith to your authenticator app"
            w={200}
            h={200}
            fit="contain"
          />
          <TextInput label="Secret key" readOnly value={start.data.secret} ff="monospace" />
          <form onSubmit={submit} noValidate>
            <Stack>
              <TextInput
                label="6-digit code from the app"
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={6}
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                error={errors.code}
              />
              <ProblemAlert
                error={confirm.error && Object.keys(errors).length === 0 ? confirm.error : null}
              />
              <Group>
                <Button type="submit" loading={confirm.isPending}>
                  Turn on two-step sign-in
                </Button>
              </Group>
            </Stack>
          </form>
        </>
      )}
    </Stack>
  );
}
