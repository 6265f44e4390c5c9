import { Button, Collapse, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import type { ImportRun } from './types.ts';
import { useImports } from './use-resources.ts';

const COUNTS = ['read', 'created', 'updated', 'unchanged', 'rejected'] as const;

function totals(run: ImportRun) {
  const sum = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const table of Object.values(run.report.tables)) for (const key of COUNTS) sum[key] += table[key];
  return sum;
}

/** One import: its counts per HSDS table, and the rows it rejected with file, row and reason. */
function ImportRunView({ run }: { run: ImportRun }) {
  const [open, setOpen] = useState(false);
  const sum = totals(run);
  const detailsId = `import-${run.id}`;
  return (
    <Stack gap={6}>
      <Title order={3} size="h5">
        {run.source} · {formatDateTime(run.finishedAt)}
      </Title>
      <Text size="sm">
        {run.report.format === 'hsds-json' ? 'HSDS JSON' : 'HSDS datapackage (CSV)'} from {run.path}
        {run.importedBy ? `, by ${run.importedBy.displayName}` : ''}: {sum.read} rows read, {sum.created}{' '}
        created, {sum.updated} updated, {sum.unchanged} unchanged, {sum.rejected} rejected.
      </Text>
      <Button
        variant="default"
        size="xs"
        w="fit-content"
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide the report' : `Show the report${sum.rejected ? ` (${sum.rejected} rejected)` : ''}`}
      </Button>
      <Collapse expanded={open} id={detailsId}>
        <Stack gap="sm">
          <Table.ScrollContainer minWidth={520}>
            <Table captionSide="top" verticalSpacing={4} fz="sm" withRowBorders>
              <Table.Caption>Rows by table</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Table</Table.Th>
                  {COUNTS.map((c) => (
                    <Table.Th key={c} scope="col">
                      {c.charAt(0).toUpperCase() + c.slice(1)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {Object.entries(run.report.tables).map(([name, counts]) => (
                  <Table.Tr key={name}>
                    <Table.Th scope="row">{name}</Table.Th>
                    {COUNTS.map((c) => (
                      <Table.Td key={c}>{counts[c]}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {run.report.rejected.length > 0 && (
            <Table.ScrollContainer minWidth={620}>
              <Table captionSide="top" verticalSpacing={4} fz="sm" withRowBorders>
                <Table.Caption>Rejected rows</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">File</Table.Th>
                    <Table.Th scope="col">Row</Table.Th>
                    <Table.Th scope="col">Id</Table.Th>
                    <Table.Th scope="col">Reason</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {run.report.rejected.map((r) => (
                    <Table.Tr key={`${r.file}:${r.row}:${r.reason}`}>
                      <Table.Td>{r.file}</Table.Td>
                      <Table.Td>{r.row}</Table.Td>
                      <Table.Td>{r.id ?? '—'}</Table.Td>
                      <Table.Td>{r.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {run.report.warnings.length > 0 && (
            <Text size="sm">Warnings: {run.report.warnings.join('; ')}</Text>
          )}
        </Stack>
      </Collapse>
    </Stack>
  );
}

/** The last imports (`npm run kith -- resources import PATH`), newest first. */
export function ImportsPanel() {
  const imports = useImports();
  return (
    <section aria-labelledby="imports-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="imports-heading">
          Last imports
        </Title>
        <ProblemAlert error={imports.error} />
        {imports.data && imports.data.length === 0 && (
          <Text size="sm">
            Nothing imported yet. Import an HSDS datapackage or JSON with{' '}
            <code>npm run kith -- resources import PATH</code>.
          </Text>
        )}
        {(imports.data ?? []).map((run) => (
          <ImportRunView key={run.id} run={run} />
        ))}
      </Stack>
    </section>
  );
}
