import { Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import type { Patient, PatientCreate } from '../../api/types.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { DuplicateWarning } from './DuplicateWarning.tsx';
import { PatientForm } from './PatientForm.tsx';
import type { DuplicateCandidate, DuplicateCheckResponse } from './types.ts';

/** Registers a patient after a duplicate check; the creator joins the care team on the server. */
export function PatientCreatePage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<{ request: PatientCreate; candidates: DuplicateCandidate[] } | null>(
    null,
  );
  const check = (request: PatientCreate) =>
    api.post<DuplicateCheckResponse>('/api/patients/duplicate-check', request);
  const create = useMutation({
    mutationFn: async (request: PatientCreate) => {
      if (!request.confirmedNotDuplicate) {
        const { candidates } = await check(request);
        if (candidates.length) return { request, candidates };
      }
      return api.post<Patient>('/api/patients', request);
    },
    onSuccess: async (result) => {
      if ('candidates' in result) return setPending(result);
      await queryClient.invalidateQueries({ queryKey: ['patients'] });
      await navigate(`/patients/${result.id}`);
    },
    onError: async (error, request) => {
      // Someone registered a match between the check and the save: show it the same way.
      if (error instanceof ApiError && error.is('possible-duplicate')) {
        setPending({ request, candidates: (await check(request)).candidates });
      }
    },
  });
  const duplicateRace = create.error instanceof ApiError && create.error.is('possible-duplicate');

  return (
    <Stack maw={960}>
      <PageTitle>New patient</PageTitle>
      {!duplicateRace && <ProblemAlert error={create.error} />}
      {pending && (
        <DuplicateWarning
          candidates={pending.candidates}
          busy={create.isPending}
          onBack={() => setPending(null)}
          onConfirmNew={() => create.mutate({ ...pending.request, confirmedNotDuplicate: true })}
        />
      )}
      <PatientForm
        serverErrors={fieldErrorsOf(create.error)}
        busy={create.isPending}
        submitLabel="Create patient"
        onSubmit={(request) => {
          setPending(null);
          create.mutate(request);
        }}
        onCancel={() => navigate('/patients')}
      />
    </Stack>
  );
}
