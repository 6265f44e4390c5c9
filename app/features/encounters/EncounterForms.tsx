import { Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  DISPOSITIONS,
  type Disposition,
  ENCOUNTER_CLASSES,
  EncounterAdmitRequest,
  EncounterDischargeRequest,
  EncounterUpdateRequest,
} from '../../../domain/schemas/encounters.ts';
import { checkWith, type FieldErrors } from '../../components/field-errors.ts';
import type { Encounter, EncounterAdmit, EncounterDischarge, EncounterUpdate } from './types.ts';

const CLASS_OPTIONS = Object.entries(ENCOUNTER_CLASSES).map(([value, label]) => ({ value, label }));
const DISPOSITION_OPTIONS = Object.entries(DISPOSITIONS).map(([value, label]) => ({ value, label }));

/** An instant as the browser's datetime-local input shows it (local time, to the minute). */
const localInput = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const instant = (local: string) => (local ? new Date(local).toISOString() : '');
const text = (v: string) => (v.trim() === '' ? undefined : v.trim());

/** Records an admission or visit, or (given an encounter) corrects it or moves the patient to another bed. */
export function EncounterForm(props: {
  encounter?: Encounter;
  serverErrors: FieldErrors;
  busy: boolean;
  onSubmit: (request: EncounterAdmit | EncounterUpdate) => void;
  onCancel: () => void;
}) {
  const e = props.encounter;
  const [draft, setDraft] = useState({
    encounterClass: (e?.encounterClass ?? 'inpatient') as string | null,
    visitNumber: e?.visitNumber ?? '',
    unit: e?.unit ?? '',
    room: e?.room ?? '',
    bed: e?.bed ?? '',
    attendingName: e?.attendingName ?? '',
    admittedAt: e ? localInput(e.admittedAt) : localInput(new Date().toISOString()),
    expectedDischargeOn: e?.expectedDischargeOn ?? '',
  });
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...props.serverErrors, ...localErrors };
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const input = (key: Exclude<keyof typeof draft, 'encounterClass'>) => ({
    value: draft[key],
    onChange: (ev: { currentTarget: { value: string } }) => {
      const value = ev.currentTarget.value;
      setDraft((d) => ({ ...d, [key]: value }));
    },
    error: errors[key],
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = e
      ? checkWith(EncounterUpdateRequest, {
          version: e.version,
          encounterClass: draft.encounterClass ?? undefined,
          unit: text(draft.unit) ?? null,
          room: text(draft.room) ?? null,
          bed: text(draft.bed) ?? null,
          attendingName: text(draft.attendingName) ?? null,
          admittedAt: instant(draft.admittedAt),
          expectedDischargeOn: text(draft.expectedDischargeOn) ?? null,
        })
      : checkWith(EncounterAdmitRequest, {
          encounterClass: draft.encounterClass ?? '',
          visitNumber: text(draft.visitNumber),
          unit: text(draft.unit),
          room: text(draft.room),
          bed: text(draft.bed),
          attendingName: text(draft.attendingName),
          admittedAt: instant(draft.admittedAt),
          expectedDischargeOn: text(draft.expectedDischargeOn),
        });
    if (!checked.ok) return setLocalErrors(checked.errors);
    setLocalErrors({});
    props.onSubmit(checked.data);
  }

  return (
    <form onSubmit={submit} noValidate aria-label={e ? 'Change the visit' : 'Record a visit'}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <Select
            label="Kind of visit"
            required
            data={CLASS_OPTIONS}
            value={draft.encounterClass}
            allowDeselect={false}
            onChange={(v) => setDraft((d) => ({ ...d, encounterClass: v }))}
            error={errors.encounterClass}
          />
          {!e && <TextInput label="Visit number" ref={first} {...input('visitNumber')} />}
          <TextInput label="Unit" ref={e ? first : undefined} {...input('unit')} />
          <TextInput label="Room" {...input('room')} />
          <TextInput label="Bed" {...input('bed')} />
          <TextInput label="Attending" {...input('attendingName')} />
          <TextInput label="Admitted at" type="datetime-local" required {...input('admittedAt')} />
          <TextInput label="Expected discharge" type="date" {...input('expectedDischargeOn')} />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={props.busy}>
            {e ? 'Save the visit' : 'Record the visit'}
          </Button>
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Ends a visit: when, and where the patient went. */
export function DischargeForm(props: {
  encounter: Encounter;
  serverErrors: FieldErrors;
  busy: boolean;
  onSubmit: (request: EncounterDischarge) => void;
  onCancel: () => void;
}) {
  const [dischargedAt, setDischargedAt] = useState(localInput(new Date().toISOString()));
  const [disposition, setDisposition] = useState<string | null>(null);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...props.serverErrors, ...localErrors };

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(EncounterDischargeRequest, {
      version: props.encounter.version,
      dischargedAt: instant(dischargedAt),
      disposition: (disposition ?? '') as Disposition,
    });
    if (!checked.ok) return setLocalErrors(checked.errors);
    setLocalErrors({});
    props.onSubmit(checked.data);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Record the discharge">
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Discharged at"
            type="datetime-local"
            required
            value={dischargedAt}
            onChange={(ev) => setDischargedAt(ev.currentTarget.value)}
            error={errors.dischargedAt}
          />
          <Select
            label="Disposition"
            required
            searchable
            data={DISPOSITION_OPTIONS}
            value={disposition}
            onChange={setDisposition}
            error={errors.disposition}
          />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={props.busy}>
            Record the discharge
          </Button>
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
