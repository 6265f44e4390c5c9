import { Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page, toQuery } from '../../api/client.ts';
import type { AuditEvent } from '../../api/types.ts';
import { AuditTable } from '../../components/AuditTable.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

/** Who saw or changed this patient's record, newest first. */
export function AccessLogPanel({ patientId }: { patientId: string }) {
  const [page, setPage] = useState(1);
  const log = useQuery({
    queryKey: ['patients', patientId, 'access-log', page],
    queryFn: () => api.get<Page<AuditEvent>>(`/api/patients/${patientId}/access-log${toQuery({ page })}`),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <ProblemAlert error={log.error} />
      {log.data && log.data.items.length === 0 && <Text>No one has opened this record yet.</Text>}
      {log.data && log.data.items.length > 0 && (
        <AuditTable events={log.data.items} caption="Access log of this record" />
      )}
      <Pager result={log.data} page={page} onChange={setPage} />
    </Stack>
  );
}
