import { Button, Group, MultiSelect, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import {
  POST_ACUTE_CAPABILITIES,
  POST_ACUTE_KINDS,
  type PostAcuteKind,
  RATING_MEASURE_CODES,
  RATING_MEASURES,
  type RatingMeasure,
} from '../../../domain/placement.ts';
import type { PostAcuteProfile } from '../../../domain/schemas/placement.ts';
import { api, toQuery } from '../../api/client.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

type Profile = z.infer<typeof PostAcuteProfile>;
const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));
const STARS = ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: `${v} star${v === '1' ? '' : 's'}` }));

/** Admins mark directory services as post-acute providers and keep their ratings (CMS Care Compare). */
export function PostAcuteProvidersPage() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Profile | null>(null);
  const list = useQuery({
    queryKey: ['post-acute', search],
    queryFn: () => api.get<{ items: Profile[] }>(`/api/directory/post-acute${toQuery({ q: search })}`),
  });
  return (
    <Stack>
      <PageTitle>Post-acute providers</PageTitle>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Find any directory service by name"
            description="Empty lists the post-acute providers"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
          />
          <Button type="submit" variant="light">
            Search
          </Button>
        </Group>
      </form>
      <ProblemAlert error={list.error} />
      <Table striped withTableBorder>
        <Table.Caption>{search ? `Services matching “${search}”` : 'Post-acute providers'}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Service</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Ratings</Table.Th>
            <Table.Th>Edit</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.items.map((p) => (
            <Table.Tr key={p.serviceId}>
              <Table.Td>
                {p.name}
                <Text size="sm" c="dimmed">
                  {p.organizationName} · {p.status}
                </Text>
              </Table.Td>
              <Table.Td>{p.kind ? POST_ACUTE_KINDS[p.kind as PostAcuteKind] : '—'}</Table.Td>
              <Table.Td>
                {p.ratings
                  .map((r) => `${RATING_MEASURES[r.measure as RatingMeasure] ?? r.measure} ${r.value}★`)
                  .join(', ') || '—'}
              </Table.Td>
              <Table.Td>
                <Button size="xs" variant="light" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
                  Edit
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {editing && <ProfileForm key={editing.serviceId} profile={editing} onDone={() => setEditing(null)} />}
    </Stack>
  );
}

function ProfileForm({ profile, onDone }: { profile: Profile; onDone: () => void }) {
  const client = useQueryClient();
  const [kind, setKind] = useState<string | null>(profile.kind);
  const [capabilities, setCapabilities] = useState<string[]>(profile.capabilities);
  const [interest, setInterest] = useState(profile.financialInterest ?? '');
  const [source, setSource] = useState(profile.ratings[0]?.source ?? 'CMS Care Compare');
  const [asOf, setAsOf] = useState(profile.ratings[0]?.asOf ?? new Date().toISOString().slice(0, 10));
  const [stars, setStars] = useState<Record<string, string | null>>(
    Object.fromEntries(profile.ratings.map((r) => [r.measure, r.value])),
  );
  const save = useMutation({
    mutationFn: () =>
      api.put<Profile>(`/api/directory/services/${profile.serviceId}/post-acute`, {
        kind,
        capabilities,
        financialInterest: interest || null,
        ratings: RATING_MEASURE_CODES.filter((m) => stars[m]).map((m) => ({
          measure: m,
          value: stars[m],
          source,
          asOf,
        })),
      }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['post-acute'] });
      onDone();
    },
  });
  const errors = fieldErrorsOf(save.error);
  return (
    <form
      aria-label={`Post-acute profile: ${profile.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="xs">
        <Title order={2} size="h3">
          {profile.name}
        </Title>
        <Group align="flex-end" wrap="wrap">
          <Select
            label="Post-acute kind"
            data={options(POST_ACUTE_KINDS)}
            value={kind}
            onChange={setKind}
            clearable
            placeholder="Not a post-acute provider"
          />
          <MultiSelect
            label="Capabilities"
            data={options(POST_ACUTE_CAPABILITIES)}
            value={capabilities}
            onChange={setCapabilities}
            w={360}
          />
          <TextInput
            label="Hospital's financial interest"
            description="Disclosed on the choice list; empty when none"
            value={interest}
            onChange={(e) => setInterest(e.currentTarget.value)}
            w={320}
          />
        </Group>
        <Group align="flex-end" wrap="wrap">
          {RATING_MEASURE_CODES.map((m) => (
            <Select
              key={m}
              label={RATING_MEASURES[m]}
              data={STARS}
              value={stars[m] ?? null}
              onChange={(v) => setStars((s) => ({ ...s, [m]: v }))}
              clearable
              w={150}
            />
          ))}
          <TextInput
            label="Ratings source"
            value={source}
            onChange={(e) => setSource(e.currentTarget.value)}
          />
          <TextInput
            label="Ratings as of"
            type="date"
            value={asOf}
            onChange={(e) => setAsOf(e.currentTarget.value)}
            error={errors['ratings.0.asOf']}
          />
        </Group>
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
          <Button variant="subtle" onClick={onDone}>
            Cancel
          </Button>
        </Group>
        <ProblemAlert error={save.error} />
      </Stack>
    </form>
  );
}
