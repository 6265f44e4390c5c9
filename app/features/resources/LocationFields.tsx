import { Button, Checkbox, Fieldset, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import type { DirectoryLocation } from './types.ts';
import { useAddLocation, useLocations } from './use-resources.ts';

const EMPTY = { name: '', address1: '', address2: '', city: '', stateProvince: '', postalCode: '' };

/** A new place of the organisation: a name and a US postal address (the ZIP code places it on the map). */
function AddLocationDialog({
  organizationId,
  opened,
  onClose,
}: {
  organizationId: string;
  opened: boolean;
  onClose: (added?: DirectoryLocation) => void;
}) {
  const [v, setV] = useState(EMPTY);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const add = useAddLocation(organizationId, (location) => {
    setV(EMPTY);
    onClose(location);
  });
  const server = fieldErrorsOf(add.error);
  const err = (key: string) => missing[key] ?? server[`address.${key}`] ?? server[key];
  const field = (key: keyof typeof EMPTY) => ({
    value: v[key],
    onChange: (e: { currentTarget: { value: string } }) => setV({ ...v, [key]: e.currentTarget.value }),
    error: err(key),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!v.address1.trim()) problems.address1 = 'Enter the street address';
    if (!v.city.trim()) problems.city = 'Enter the city';
    if (!/^[A-Za-z]{2}$/.test(v.stateProvince.trim())) problems.stateProvince = 'Enter the two-letter state';
    if (!/^\d{5}$/.test(v.postalCode.trim())) problems.postalCode = 'Enter a 5-digit ZIP code';
    setMissing(problems);
    if (Object.keys(problems).length) return;
    add.mutate({
      name: v.name.trim() || null,
      address: {
        address1: v.address1.trim(),
        address2: v.address2.trim() || null,
        city: v.city.trim(),
        stateProvince: v.stateProvince.trim().toUpperCase(),
        postalCode: v.postalCode.trim(),
      },
    });
  }

  return (
    <Modal
      opened={opened}
      onClose={() => onClose()}
      title="Add a location"
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {add.error && Object.keys(server).length === 0 && <ProblemAlert error={add.error} />}
          <TextInput
            label="Name"
            description="Optional, e.g. Main pantry"
            data-autofocus
            {...field('name')}
          />
          <TextInput label="Street address" required {...field('address1')} />
          <TextInput label="Address line 2" {...field('address2')} />
          <Group gap="sm" align="flex-start">
            <TextInput label="City" required {...field('city')} w={180} />
            <TextInput label="State" required maxLength={2} {...field('stateProvince')} w={80} />
            <TextInput
              label="ZIP code"
              required
              inputMode="numeric"
              maxLength={5}
              {...field('postalCode')}
              w={110}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose()}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add location
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Where the service is offered: some of its organisation's locations, and a way to add one. */
export function LocationFields({
  organizationId,
  value,
  onChange,
  error,
}: {
  organizationId: string;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const locations = useLocations(organizationId || null);
  const [adding, setAdding] = useState(false);
  return (
    <Fieldset legend="Where it is offered">
      <Stack gap="sm">
        {!organizationId && <Text size="sm">Choose the organisation first.</Text>}
        <ProblemAlert error={locations.error} />
        {locations.data && locations.data.length === 0 && (
          <Text size="sm">
            The organisation has no locations yet: the service is offered by phone or online.
          </Text>
        )}
        {locations.data && locations.data.length > 0 && (
          <Checkbox.Group label="Locations" value={value} onChange={onChange} error={error}>
            <Stack gap={6} mt={4}>
              {locations.data.map((l) => (
                <Checkbox
                  key={l.id}
                  value={l.id}
                  label={[l.name, l.address].filter(Boolean).join(': ') || 'Location without an address'}
                />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        {organizationId && (
          <Button variant="default" w="fit-content" onClick={() => setAdding(true)}>
            Add a location
          </Button>
        )}
      </Stack>
      {organizationId && (
        <AddLocationDialog
          organizationId={organizationId}
          opened={adding}
          onClose={(added) => {
            setAdding(false);
            if (added) onChange([...value, added.id]);
          }}
        />
      )}
    </Fieldset>
  );
}
