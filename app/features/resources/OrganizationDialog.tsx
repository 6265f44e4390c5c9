import { Alert, Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import type { DirectoryOrganization } from './types.ts';
import { useSaveOrganization } from './use-resources.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Creates a directory organisation (no `organization`) or edits one: its name, the address referrals are
 * emailed to, its website.
 */
export function OrganizationDialog({
  opened,
  organization,
  onClose,
}: {
  opened: boolean;
  organization: DirectoryOrganization | null;
  onClose: (saved?: DirectoryOrganization) => void;
}) {
  const [name, setName] = useState('');
  const [referralEmail, setReferralEmail] = useState('');
  const [website, setWebsite] = useState('');
  const [description, setDescription] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const save = useSaveOrganization(organization?.id ?? null, (saved) => onClose(saved));

  // biome-ignore lint/correctness/useExhaustiveDependencies: each opening starts from the organisation
  useEffect(() => {
    if (!opened) return;
    setName(organization?.name ?? '');
    setReferralEmail(organization?.referralEmail ?? '');
    setWebsite(organization?.website ?? '');
    setDescription(organization?.description ?? '');
    setMissing({});
    save.reset();
  }, [opened, organization?.id]);

  const errors = { ...fieldErrorsOf(save.error), ...missing };
  const stale = save.error instanceof ApiError && save.error.status === 409 && save.error.is('stale-version');

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = 'Enter the organisation’s name';
    if (referralEmail.trim() && !EMAIL.test(referralEmail.trim()))
      problems.referralEmail = 'Enter a valid email address';
    if (website.trim() && !/^https?:\/\/\S+$/.test(website.trim()))
      problems.website = 'Enter a web address starting with https://';
    setMissing(problems);
    if (Object.keys(problems).length) return;
    save.mutate({
      name: name.trim(),
      referralEmail: referralEmail.trim() || null,
      website: website.trim() || null,
      description: description.trim() || null,
      ...(organization?.version ? { version: organization.version } : {}),
    });
  }

  return (
    <Modal
      opened={opened}
      onClose={() => onClose()}
      title={organization ? `Edit ${organization.name}` : 'New organisation'}
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {stale ? (
            <Alert color="yellow" role="alert" title="Someone else changed this organisation">
              Close this dialog and open it again to see their changes, then make yours.
            </Alert>
          ) : (
            save.error &&
            Object.keys(fieldErrorsOf(save.error)).length === 0 && <ProblemAlert error={save.error} />
          )}
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            maxLength={300}
            data-autofocus
          />
          <TextInput
            label="Referral email"
            description="Referrals to this organisation's services are emailed here, with a link to answer them"
            type="email"
            value={referralEmail}
            onChange={(e) => setReferralEmail(e.currentTarget.value)}
            error={errors.referralEmail}
          />
          <TextInput
            label="Website"
            type="url"
            placeholder="https://"
            value={website}
            onChange={(e) => setWebsite(e.currentTarget.value)}
            error={errors.website}
          />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose()}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {organization ? 'Save organisation' : 'Create organisation'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
