import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import {
  CHOOSERS,
  POST_ACUTE_CAPABILITIES,
  POST_ACUTE_KINDS,
  type PostAcuteKind,
  RATING_MEASURES,
  type RatingMeasure,
  ratingText,
} from '../../../domain/placement.ts';
import type { ChoiceList } from '../../../domain/schemas/placement.ts';
import { api } from '../../api/client.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

type List = z.infer<typeof ChoiceList>;

const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

const listsKey = (planId: string) => ['discharge-plan', planId, 'choice-lists'];

/** Post-acute placement for one discharge plan: the choice list, the patient's choices, referrals, confirmation. */
export function PlacementPanel({ planId, patientId }: { planId: string; patientId: string }) {
  const lists = useQuery({
    queryKey: listsKey(planId),
    queryFn: () => api.get<{ items: List[] }>(`/api/discharge-plans/${planId}/choice-lists`),
  });
  // The Discharge tab gives the panel its section and heading ("Post-acute placement", h3).
  return (
    <Stack gap="md">
      <NewChoiceList planId={planId} />
      <ProblemAlert error={lists.error} />
      {lists.data?.items.map((list) => (
        <ChoiceListCard key={list.id} list={list} planId={planId} patientId={patientId} />
      ))}
    </Stack>
  );
}

function NewChoiceList({ planId }: { planId: string }) {
  const client = useQueryClient();
  const [kind, setKind] = useState<string | null>('snf');
  const [zip, setZip] = useState('');
  const [radius, setRadius] = useState<number | string>('');
  const [needs, setNeeds] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      api.post<List>(`/api/discharge-plans/${planId}/choice-lists`, {
        kind,
        zip: zip.trim() || null,
        radiusMiles: radius === '' ? null : Number(radius),
        needs,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: listsKey(planId) }),
  });
  const errors = fieldErrorsOf(create.error);
  return (
    <form
      aria-labelledby={`draw-${planId}`}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <Stack gap="xs">
        <Title order={4} id={`draw-${planId}`}>
          Draw a choice list
        </Title>
        <Group align="flex-end" wrap="wrap">
          <Select
            label="Kind of provider"
            data={options(POST_ACUTE_KINDS)}
            value={kind}
            onChange={setKind}
            allowDeselect={false}
            error={errors.kind}
          />
          <TextInput
            label="Measure from ZIP"
            description="The patient's home when empty"
            value={zip}
            onChange={(e) => setZip(e.currentTarget.value)}
            maxLength={5}
            w={160}
            error={errors.zip}
          />
          <NumberInput
            label="Within (miles)"
            description="25 when empty"
            value={radius}
            onChange={setRadius}
            min={1}
            max={200}
            w={140}
            error={errors.radiusMiles}
          />
          <MultiSelect
            label="Needs the provider must meet"
            data={options(POST_ACUTE_CAPABILITIES)}
            value={needs}
            onChange={setNeeds}
            clearable
            w={320}
          />
          <Button type="submit" loading={create.isPending}>
            Draw choice list
          </Button>
        </Group>
        <ProblemAlert error={create.error} />
      </Stack>
    </form>
  );
}

function ChoiceListCard({ list, planId, patientId }: { list: List; planId: string; patientId: string }) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: listsKey(planId) });
  const [selected, setSelected] = useState<string[]>([]);
  const given = useMutation({
    mutationFn: () => api.post<List>(`/api/choice-lists/${list.id}/given`, { version: list.version }),
    onSuccess: refresh,
  });
  const headingId = `choice-list-${list.id}`;
  const referred = new Set(list.referrals.map((r) => r.serviceId));
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" wrap="wrap">
        <Title order={4} id={headingId}>
          {list.kindLabel} choice list, {new Date(list.createdAt).toLocaleDateString()}
        </Title>
        <Group gap="xs">
          {list.confirmedReferralId && <Badge color="green">Placement confirmed</Badge>}
          <Anchor component={Link} to={`/patients/${patientId}/choice-lists/${list.id}/print`}>
            Print for the patient
          </Anchor>
          {!list.givenAt && (
            <Button size="xs" variant="light" onClick={() => given.mutate()} loading={given.isPending}>
              Mark as given to the patient
            </Button>
          )}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {list.criteria.origin ? `From ${list.criteria.origin}` : 'No place to measure from'}
        {list.criteria.radiusMiles ? `, within ${list.criteria.radiusMiles} miles` : ''}
        {list.givenAt ? ` · given ${new Date(list.givenAt).toLocaleString()}` : ' · not yet given'}
      </Text>
      <ProblemAlert error={given.error} />
      {list.providers.length === 0 ? (
        <Alert color="yellow">No provider of this kind matches: widen the radius or drop a need.</Alert>
      ) : (
        <Table striped withTableBorder>
          <Table.Caption>Providers offered, nearest first</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Refer</Table.Th>
              <Table.Th>Provider</Table.Th>
              <Table.Th>Distance</Table.Th>
              <Table.Th>Ratings</Table.Th>
              <Table.Th>Phone</Table.Th>
              <Table.Th>Choice</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.providers.map((p) => {
              const rank = list.choices.indexOf(p.serviceId);
              return (
                <Table.Tr key={p.serviceId}>
                  <Table.Td>
                    <Checkbox
                      aria-label={`Refer to ${p.name}`}
                      checked={selected.includes(p.serviceId)}
                      disabled={referred.has(p.serviceId) || Boolean(list.confirmedReferralId)}
                      onChange={(e) => {
                        // Read now: the event's target is gone by the time React runs the updater.
                        const checked = e.currentTarget.checked;
                        setSelected((s) =>
                          checked ? [...s, p.serviceId] : s.filter((x) => x !== p.serviceId),
                        );
                      }}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text fw={600}>{p.name}</Text>
                    <Text size="sm">{p.address ?? 'No address'}</Text>
                    {p.financialInterest && (
                      <Text size="sm" fw={600}>
                        Hospital financial interest: {p.financialInterest}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{p.distanceMiles === null ? '—' : `${p.distanceMiles} mi`}</Table.Td>
                  <Table.Td>
                    {p.ratings.length
                      ? p.ratings.map((r) => (
                          <Text size="sm" key={r.measure}>
                            {RATING_MEASURES[r.measure as RatingMeasure] ?? r.measure}: {ratingText(r)}
                          </Text>
                        ))
                      : 'Not rated'}
                  </Table.Td>
                  <Table.Td>{p.phone ?? '—'}</Table.Td>
                  <Table.Td>{rank === -1 ? '' : `Choice ${rank + 1}`}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {!list.confirmedReferralId && list.providers.length > 0 && (
        <>
          <ChoicesForm list={list} onSaved={refresh} />
          <SendReferrals
            list={list}
            serviceIds={selected}
            onSent={() => {
              setSelected([]);
              void refresh();
            }}
          />
        </>
      )}
      {list.referrals.length > 0 && <Answers list={list} onConfirmed={refresh} />}
    </Stack>
  );
}

function ChoicesForm({ list, onSaved }: { list: List; onSaved: () => void }) {
  const [choices, setChoices] = useState<string[]>(list.choices);
  const [chosenBy, setChosenBy] = useState<string | null>(list.chosenBy ?? 'patient');
  const [name, setName] = useState(list.chosenByName ?? '');
  const [declined, setDeclined] = useState(list.declinedToChoose);
  const [note, setNote] = useState(list.note ?? '');
  const save = useMutation({
    mutationFn: () =>
      api.post<List>(`/api/choice-lists/${list.id}/choices`, {
        choices: declined ? [] : choices,
        chosenBy: declined ? null : chosenBy,
        chosenByName: name || null,
        declinedToChoose: declined,
        note: note || null,
        version: list.version,
      }),
    onSuccess: onSaved,
  });
  const errors = fieldErrorsOf(save.error);
  return (
    <form
      aria-labelledby={`choice-${list.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="xs">
        <Title order={5} id={`choice-${list.id}`}>
          The patient’s choice
        </Title>
        <Checkbox
          label="The patient declined to choose"
          checked={declined}
          onChange={(e) => setDeclined(e.currentTarget.checked)}
        />
        {!declined && (
          <Group align="flex-end" wrap="wrap">
            <MultiSelect
              label="Chosen providers, in order of preference"
              data={list.providers.map((p) => ({ value: p.serviceId, label: p.name }))}
              value={choices}
              onChange={setChoices}
              error={errors.choices ?? errors['choices.0']}
              w={360}
            />
            <Select
              label="Chosen by"
              data={options(CHOOSERS)}
              value={chosenBy}
              onChange={setChosenBy}
              error={errors.chosenBy}
            />
            <TextInput
              label="Name of who chose"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
          </Group>
        )}
        <Textarea
          label="Note on the choice"
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
        />
        <Group>
          <Button type="submit" variant="light" loading={save.isPending}>
            Record the choice
          </Button>
          {list.choicesRecordedAt && (
            <Text size="sm" c="dimmed">
              Recorded {new Date(list.choicesRecordedAt).toLocaleString()}
            </Text>
          )}
        </Group>
        <ProblemAlert error={save.error} />
      </Stack>
    </form>
  );
}

function SendReferrals({
  list,
  serviceIds,
  onSent,
}: {
  list: List;
  serviceIds: string[];
  onSent: () => void;
}) {
  const [phone, setPhone] = useState('');
  const [note, setNote] = useState('');
  const [consent, setConsent] = useState(false);
  const send = useMutation({
    mutationFn: () => {
      const expires = new Date();
      expires.setFullYear(expires.getFullYear() + 1);
      return api.post<List>(`/api/choice-lists/${list.id}/referrals`, {
        serviceIds,
        note: note || null,
        contactPreferences: { methods: ['phone'], phone: phone || null },
        consent: consent
          ? {
              shares: ['name', 'contact', 'birth-date', 'need', 'note'],
              method: 'verbal',
              givenBy: 'patient',
              expiresOn: expires.toISOString().slice(0, 10),
            }
          : null,
      });
    },
    onSuccess: onSent,
  });
  return (
    <form
      aria-labelledby={`send-${list.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
    >
      <Stack gap="xs">
        <Title order={5} id={`send-${list.id}`}>
          Send referral packets
        </Title>
        <Text size="sm">
          {serviceIds.length
            ? `${serviceIds.length} provider(s) ticked in the table`
            : 'Tick the providers to refer to in the table above.'}
        </Text>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Phone to reach the patient or family"
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
          />
          <Textarea
            label="Clinical note for the providers"
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            w={360}
            autosize
          />
        </Group>
        <Checkbox
          label="The patient agreed (verbally) to share their name, contact, date of birth, the placement need and the note with these providers"
          checked={consent}
          onChange={(e) => setConsent(e.currentTarget.checked)}
        />
        <Group>
          <Button type="submit" disabled={!serviceIds.length} loading={send.isPending}>
            Send to {serviceIds.length || ''} provider{serviceIds.length === 1 ? '' : 's'}
          </Button>
        </Group>
        <ProblemAlert error={send.error} />
      </Stack>
    </form>
  );
}

function Answers({ list, onConfirmed }: { list: List; onConfirmed: () => void }) {
  const client = useQueryClient();
  const confirm = useMutation({
    mutationFn: (referralId: string) =>
      api.post<List>(`/api/choice-lists/${list.id}/confirm`, { referralId }),
    onSuccess: () => {
      onConfirmed();
      // Confirming sets the plan's target disposition (and its version): the Discharge tab's plan refetches,
      // so that its editor saves against the new version instead of meeting a stale-version 409.
      void client.invalidateQueries({ queryKey: ['patients', list.patientId, 'discharge-plans'] });
    },
  });
  return (
    <Stack gap="xs">
      <Title order={5}>Providers’ answers</Title>
      <Table withTableBorder>
        <Table.Caption>Each provider’s answer, side by side</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Patient's choice</Table.Th>
            <Table.Th>Answer</Table.Th>
            <Table.Th>Bed from</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Sent</Table.Th>
            <Table.Th>Confirm</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.referrals.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.serviceName}</Table.Td>
              <Table.Td>{r.choiceRank ? `Choice ${r.choiceRank}` : '—'}</Table.Td>
              <Table.Td>
                {list.confirmedReferralId === r.id ? <Badge color="green">Confirmed</Badge> : r.statusLabel}
              </Table.Td>
              <Table.Td>{r.bedOfferedOn ?? '—'}</Table.Td>
              <Table.Td>{r.statusReasonLabel ?? '—'}</Table.Td>
              <Table.Td>{r.requestedAt ? new Date(r.requestedAt).toLocaleDateString() : '—'}</Table.Td>
              <Table.Td>
                {r.status === 'accepted' && !list.confirmedReferralId && (
                  <Button
                    size="xs"
                    onClick={() => confirm.mutate(r.id)}
                    loading={confirm.isPending}
                    aria-label={`Confirm ${r.serviceName}`}
                  >
                    Confirm
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ProblemAlert error={confirm.error} />
    </Stack>
  );
}

export const placementKindLabel = (kind: string) => POST_ACUTE_KINDS[kind as PostAcuteKind] ?? kind;
