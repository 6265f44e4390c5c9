import { Alert, Button, Stack, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { EmergencyAccessRequest as EmergencyAccessSchema } from '../../../domain/schemas/patients.ts';
import { api } from '../../api/client.ts';
import type { EmergencyAccessGrant } from '../../api/types.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

/** Shown instead of a chart the user may not open: break-the-glass access, with a reason, audited. */
export function EmergencyAccessRequest({
  patientId,
  onGranted,
}: {
  patientId: string;
  onGranted: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const grant = useMutation({
    mutationFn: (body: { reason: string }) =>
      api.post<EmergencyAccessGrant>(`/api/patients/${patientId}/emergency-access`, body),
    onSuccess: onGranted,
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(EmergencyAccessSchema, { reason });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    grant.mutate(checked.data);
  }

  return (
    <Stack maw={640}>
      <PageTitle>Patient chart</PageTitle>
      <Alert color="orange" title="You are not on this patient's care team">
        Only the care team can open this chart. In an emergency you can open it now: your reason is recorded,
        a supervisor reviews it, and access ends automatically.
      </Alert>
      {!asking ? (
        <Button color="red" w="fit-content" onClick={() => setAsking(true)}>
          Emergency access
        </Button>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Textarea
              label="Reason for emergency access"
              description="At least 10 characters. Say what the emergency is."
              autosize
              minRows={3}
              required
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={errors.reason}
              data-autofocus
            />
            <ProblemAlert error={grant.error && !errors.reason ? grant.error : null} />
            <Button type="submit" color="red" w="fit-content" loading={grant.isPending}>
              Open the chart under emergency access
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
