import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { LoginRequest } from '../../../domain/schemas/auth.ts';
import { ApiError, api, setCsrfToken } from '../../api/client.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { describeProblem } from '../../components/ProblemAlert.tsx';
import { fetchMe, ME_KEY } from './session.ts';

/** Why the app sent the user here, passed as navigation state. */
export interface SignInState {
  message?: string;
  from?: string;
}

function loginProblem(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 423)
      return 'This account is locked after too many failed attempts. Try again in 15 minutes.';
    if (error.status === 429) return 'Too many attempts. Wait a few minutes before trying again.';
    if (error.status === 401 && error.is('mfa-invalid'))
      return 'That code is not valid. Try the current code.';
    if (error.status === 401) return error.detail ?? 'The email or password is not right.';
  }
  return describeProblem(error);
}

export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const state = (location.state ?? {}) as SignInState;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [mfaStep, setMfaStep] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Kith';
  }, []);
  useEffect(() => {
    if (mfaStep) codeInput.current?.focus();
  }, [mfaStep]);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const checked = checkWith(LoginRequest, { email, password, totp: mfaStep ? totp : undefined });
    if (!checked.ok) {
      setErrors(
        mfaStep && checked.errors.totp
          ? { totp: 'Enter the 6-digit code or a recovery code' }
          : checked.errors,
      );
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const answer = await api.post<{ csrfToken?: string }>('/api/auth/login', checked.data);
      if (answer?.csrfToken) setCsrfToken(answer.csrfToken);
      queryClient.setQueryData(ME_KEY, await fetchMe());
      await navigate(state.from && state.from !== '/sign-in' ? state.from : '/', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && error.is('mfa-required')) {
        setMfaStep(true);
        setTotp('');
      } else {
        setErrors(fieldErrorsOf(error));
        setProblem(loginProblem(error));
        if (mfaStep) setTotp('');
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center component="main" id="main" mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420} maw="100%">
        <form onSubmit={signIn} noValidate>
          <Stack>
            <Title order={1} size="h2">
              Sign in to Kith
            </Title>
            {state.message && !problem && (
              <Alert color="blue" role="status">
                {state.message}
              </Alert>
            )}
            <div aria-live="assertive">{problem && <Alert color="red">{problem}</Alert>}</div>
            {!mfaStep ? (
              <>
                <TextInput
                  label="Email"
                  type="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  error={errors.email}
                />
                <PasswordInput
                  label="Password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  error={errors.password}
                  // Mantine's PasswordInput sets data-invalid only; tell assistive technology too.
                  aria-invalid={errors.password ? true : undefined}
                />
              </>
            ) : (
              <>
                <Text role="status">
                  Enter the 6-digit code from your authenticator app, or one of your recovery codes.
                </Text>
                <TextInput
                  ref={codeInput}
                  label="One-time code"
                  autoComplete="one-time-code"
                  inputMode="text"
                  required
                  value={totp}
                  onChange={(e) => setTotp(e.currentTarget.value)}
                  error={errors.totp}
                />
              </>
            )}
            <Button type="submit" loading={busy}>
              {mfaStep ? 'Verify and sign in' : 'Sign in'}
            </Button>
            {mfaStep && (
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  setMfaStep(false);
                  setProblem(null);
                }}
              >
                Use a different account
              </Anchor>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
