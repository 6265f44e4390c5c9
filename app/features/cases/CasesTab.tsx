import { Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Page, toQuery } from '../../api/client.ts';
import { Pager } from '../../components/Pager.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { CaseActionDialog, type DialogAction } from './CaseActionDialog.tsx';
import { CaseCard } from './CaseCard.tsx';
import type { CaseView } from './types.ts';

const PAGE_SIZE = 20;
const MAY_REQUEST = ['clinician', 'social_worker', 'supervisor', 'admin'];
const MAY_OPEN = ['social_worker', 'supervisor', 'admin'];

/** The chart's Cases tab: the patient's social work cases, open first, with what the user may do on each. */
export function CasesTab({ patientId }: { patientId: string }) {
  const me = useSignedInUser();
  // /patients/:patientId/cases/:caseId (the timeline's link) points at one case.
  const focusId = useParams()['*']?.split('/')[0] || null;
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<{ action: DialogAction; c: CaseView } | null>(null);
  const list = useQuery({
    queryKey: ['patients', patientId, 'cases', page],
    queryFn: () =>
      api.get<Page<CaseView>>(`/api/patients/${patientId}/cases${toQuery({ page, pageSize: PAGE_SIZE })}`),
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Cases
        </Title>
        <Group gap="xs">
          {MAY_OPEN.includes(me.role) && (
            <Button component={Link} to={`/cases/new?patientId=${patientId}`} variant="default">
              Open a case
            </Button>
          )}
          {MAY_REQUEST.includes(me.role) && (
            <Button component={Link} to={`/consults/new?patientId=${patientId}`}>
              Request a social work consult
            </Button>
          )}
        </Group>
      </Group>
      <ProblemAlert error={list.error} />
      {list.isPending && <Loader aria-label="Loading cases" />}
      {list.data && list.data.items.length === 0 && <Text>No social work case for this patient yet.</Text>}
      {list.data?.items.map((c) => (
        <CaseCard
          key={c.id}
          c={c}
          focused={c.id === focusId}
          onDialog={(action, target) => setDialog({ action, c: target })}
        />
      ))}
      <Pager result={list.data} page={page} onChange={setPage} />
      <CaseActionDialog
        action={dialog?.action ?? null}
        target={
          dialog
            ? {
                id: dialog.c.id,
                version: dialog.c.version,
                assigneeId: dialog.c.assignee?.id ?? null,
                label: dialog.c.reasonLabel,
              }
            : null
        }
        onClose={() => setDialog(null)}
      />
    </Stack>
  );
}
