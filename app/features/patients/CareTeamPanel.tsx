import { Button, Group, Select, Stack, Table, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ROLE_LABELS, type Role } from '../../../domain/roles.ts';
import { CareTeamAddRequest } from '../../../domain/schemas/patients.ts';
import { api } from '../../api/client.ts';
import type { DirectoryUser, Patient } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

const roleLabel = (role: string) => ROLE_LABELS[role as Role] ?? role;

function AddCareTeamMember({ patient }: { patient: Patient }) {
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState<string | null>(null);
  const [teamRole, setTeamRole] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const directory = useQuery({
    queryKey: ['directory', 'users'],
    queryFn: () => api.get<DirectoryUser[]>('/api/directory/users'),
  });
  const add = useMutation({
    mutationFn: (body: { userId: string; teamRole: string }) =>
      api.post(`/api/patients/${patient.id}/care-team`, body),
    onSuccess: async () => {
      setUserId(null);
      setTeamRole('');
      await queryClient.invalidateQueries({ queryKey: ['patients', patient.id] });
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  const onTeam = new Set(patient.careTeam.map((m) => m.userId));
  const choices = (directory.data ?? [])
    .filter((u) => !onTeam.has(u.id))
    .map((u) => ({ value: u.id, label: `${u.displayName} (${roleLabel(u.role)})` }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(CareTeamAddRequest, { userId: userId ?? '', teamRole });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    add.mutate(checked.data);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Add a care team member">
      <Group align="flex-start">
        <Select
          label="Colleague"
          searchable
          data={choices}
          value={userId}
          onChange={setUserId}
          error={errors.userId ? 'Choose a colleague' : undefined}
          nothingFoundMessage="No one found"
          w={300}
        />
        <TextInput
          label="Role on the team"
          placeholder="e.g. Primary social worker"
          value={teamRole}
          onChange={(e) => setTeamRole(e.currentTarget.value)}
          error={errors.teamRole}
        />
        <Button type="submit" mt={25} loading={add.isPending}>
          Add to care team
        </Button>
      </Group>
      <ProblemAlert
        error={directory.error ?? (add.error && Object.keys(errors).length === 0 ? add.error : null)}
      />
    </form>
  );
}

/** Who cares for the patient, and (when allowed) adding and removing members. */
export function CareTeamPanel({ patient }: { patient: Patient }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (memberId: string) => api.delete(`/api/patients/${patient.id}/care-team/${memberId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['patients', patient.id] }),
  });
  const canManage = patient.abilities.manageCareTeam;
  return (
    <Stack>
      <Table.ScrollContainer minWidth={560}>
        <Table striped>
          <Table.Caption>Care team</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Role on the team</Table.Th>
              <Table.Th scope="col">Kith role</Table.Th>
              <Table.Th scope="col">Added</Table.Th>
              {canManage && <Table.Th scope="col">Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {patient.careTeam.map((member) => (
              <Table.Tr key={member.id}>
                <Table.Td>{member.displayName}</Table.Td>
                <Table.Td>{member.teamRole}</Table.Td>
                <Table.Td>{roleLabel(member.role)}</Table.Td>
                <Table.Td>{formatDateTime(member.addedAt)}</Table.Td>
                {canManage && (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      loading={remove.isPending && remove.variables === member.id}
                      onClick={() => remove.mutate(member.id)}
                      aria-label={`Remove ${member.displayName} from the care team`}
                    >
                      Remove
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ProblemAlert error={remove.error} />
      {canManage && <AddCareTeamMember patient={patient} />}
    </Stack>
  );
}
