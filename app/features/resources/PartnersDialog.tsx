import { Button, Group, List, Modal, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page } from '../../api/client.ts';
import type { UserSummary } from '../../api/types.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import type { OrganizationSummary } from './types.ts';
import { usePartnerChange, usePartners } from './use-resources.ts';

/**
 * The community-partner accounts that answer an organisation's referrals in their own inbox (instead of the
 * emailed link): link a user with the community partner role, or unlink one.
 */
export function PartnersDialog({
  organization,
  onClose,
}: {
  organization: OrganizationSummary | null;
  onClose: () => void;
}) {
  const id = organization?.id ?? null;
  const partners = usePartners(id);
  const change = usePartnerChange(id ?? '');
  const [userId, setUserId] = useState<string | null>(null);
  const users = useQuery({
    queryKey: ['admin', 'users', 'community-partners'],
    queryFn: () => api.get<Page<UserSummary>>('/api/admin/users?pageSize=200'),
    enabled: Boolean(id),
    select: (page) => page.items.filter((u) => u.role === 'community_partner' && !u.disabled),
  });
  const linked = new Set((partners.data ?? []).map((p) => p.userId));
  const choices = (users.data ?? [])
    .filter((u) => !linked.has(u.id))
    .map((u) => ({ value: u.id, label: `${u.displayName} (${u.email})` }));

  return (
    <Modal
      opened={Boolean(organization)}
      onClose={onClose}
      title={organization ? `Partner accounts: ${organization.name}` : 'Partner accounts'}
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
      size="lg"
    >
      <Stack>
        <ProblemAlert error={partners.error ?? change.add.error ?? change.remove.error} />
        {partners.data && partners.data.length === 0 && (
          <Text size="sm">No accounts: referrals are answered through the emailed link.</Text>
        )}
        {partners.data && partners.data.length > 0 && (
          <List spacing="xs" aria-label="Linked accounts">
            {partners.data.map((p) => (
              <List.Item key={p.userId}>
                <Group gap="sm">
                  <Text size="sm">
                    {p.displayName} ({p.email})
                  </Text>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    loading={change.remove.isPending && change.remove.variables === p.userId}
                    onClick={() => change.remove.mutate(p.userId)}
                    aria-label={`Unlink ${p.displayName}`}
                  >
                    Unlink
                  </Button>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
        <Group align="flex-end" gap="sm">
          <Select
            label="Link an account"
            description="Users with the community partner role (create them under Admin → Users)"
            placeholder={choices.length ? 'Choose a user' : 'No unlinked community partner users'}
            data={choices}
            value={userId}
            onChange={setUserId}
            searchable
            w={380}
            data-autofocus
          />
          <Button
            disabled={!userId}
            loading={change.add.isPending}
            onClick={() => {
              if (userId) change.add.mutate(userId, { onSuccess: () => setUserId(null) });
            }}
          >
            Link
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
