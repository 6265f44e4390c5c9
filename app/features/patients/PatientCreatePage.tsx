import { Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import type { Patient, PatientCreate } from '../../api/types.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { PatientForm } from './PatientForm.tsx';

/** Registers a patient; the creator joins the care team on the server. */
export function PatientCreatePage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (request: PatientCreate) => api.post<Patient>('/api/patients', request),
    onSuccess: async (patient) => {
      await queryClient.invalidateQueries({ queryKey: ['patients'] });
      await navigate(`/patients/${patient.id}`);
    },
  });
  return (
    <Stack maw={960}>
      <PageTitle>New patient</PageTitle>
      <ProblemAlert error={create.error} />
      <PatientForm
        serverErrors={fieldErrorsOf(create.error)}
        busy={create.isPending}
        submitLabel="Create patient"
        onSubmit={(request) => create.mutate(request)}
        onCancel={() => navigate('/patients')}
      />
    </Stack>
  );
}
