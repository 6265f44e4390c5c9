import { Button, Group, NativeSelect, Text } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useSignedInUser } from '../auth/session.ts';
import { useNeeds } from '../needs/use-needs.ts';
import type { ReferActionProps } from '../resources/selection.ts';
import { REFERRER_ROLES } from './NeedReferralList.tsx';
import { ReferDialog } from './ReferDialog.tsx';

/**
 * The directory's selection bar action: refers the ticked services for the patient's need (the one the search
 * came from, or one the worker picks), through the same dialog as the Needs tab, starting at consent.
 */
export function ReferSelectedAction({ patientId, needId, selected, clear }: ReferActionProps) {
  const me = useSignedInUser();
  const navigate = useNavigate();
  const needs = useNeeds(patientId ?? '', Boolean(patientId));
  const [chosenNeedId, setChosenNeedId] = useState(needId ?? '');
  const [open, setOpen] = useState(false);
  if (!REFERRER_ROLES.includes(me.role)) return null;
  if (!patientId) {
    return <Text size="sm">Open the directory from a patient’s need to refer.</Text>;
  }
  const openNeeds = (needs.data ?? []).filter((n) => n.open);
  const need = openNeeds.find((n) => n.id === (needId ?? chosenNeedId)) ?? null;

  return (
    <Group gap="xs" align="flex-end">
      {!needId && (
        <NativeSelect
          size="sm"
          label="For the need"
          value={chosenNeedId}
          onChange={(e) => setChosenNeedId(e.currentTarget.value)}
          data={[
            { value: '', label: needs.isPending ? 'Loading needs…' : 'Choose a need…' },
            ...openNeeds.map((n) => ({ value: n.id, label: n.label })),
          ]}
        />
      )}
      <Button size="sm" disabled={!need} onClick={() => setOpen(true)}>
        Refer {selected.length === 1 ? 'this service' : `these ${selected.length} services`}
      </Button>
      {open && need && (
        <ReferDialog
          patientId={patientId}
          need={need}
          initial={selected}
          onClose={(created) => {
            setOpen(false);
            if (!created) return;
            clear();
            void navigate(`/patients/${patientId}/needs/${need.id}`);
          }}
        />
      )}
    </Group>
  );
}
