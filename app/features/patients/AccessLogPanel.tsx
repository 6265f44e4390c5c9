import { Pagination, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Page, toQuery } from '../../api/client.ts';
import type { AuditEvent } from '../../api/types.ts';
import { AuditTable } from '../../components/AuditTable.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

/** Who saw or changed this patient's record, newest first. */
export function AccessLogPanel({ patientId }: { patientId: string }) {
  const [page, setPage] = useState(1);
  const log = useQuery({
    queryKey: ['patients', patientId, 'access-log', page],
    queryFn: () => api.get<Page<AuditEvent>>(`/api/patients/${patientId}/access-log${toQuery({ page })}`),
    placeholderData: keepPreviousData,
  });
  const totalPages = log.data ? Math.max(1, Math.ceil(log.data.total / log.data.pageSize)) : 1;
  return (
    <Stack>
      <ProblemAlert error={log.error} />
      {log.data && log.data.items.length === 0 && <Text>No one has opened this record yet.</Text>}
      {log.data && log.data.items.length > 0 && (
        <AuditTable events={log.data.items} caption="Access log of this record" />
      )}
      {totalPages > 1 && (
        <Pagination
          total={totalPages}
          value={page}
          onChange={setPage}
          getItemProps={(n) => ({ 'aria-label': `Page ${n}` })}
        />
      )}
    </Stack>
  );
}
