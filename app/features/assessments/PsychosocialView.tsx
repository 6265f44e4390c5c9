import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { createPortal } from 'react-dom';
import { PSYCHOSOCIAL_SECTIONS } from '../../../domain/assessments.ts';
import type { PatientChart } from '../../api/types.ts';
import { formatCalendarDate, formatDateTime } from '../../components/dates.ts';
import { chartName } from '../chart/ChartHeader.tsx';
import { useChart } from '../chart/use-chart.ts';
import { AmendmentNotes } from './AmendmentNotes.tsx';
import classes from './assessments.module.css';
import { RestrictedSection } from './PsychosocialForm.tsx';
import { completedLine } from './ResultView.tsx';
import type { AssessmentView } from './types.ts';

/**
 * The printed psychosocial assessment, kept at the end of <body> and shown only by `@media print`
 * (app/global.css): the patient, who wrote it and when, and every section under its heading.
 */
function PrintDocument({ assessment, chart }: { assessment: AssessmentView; chart: PatientChart }) {
  const p = chart.patient;
  const restricted = new Set(assessment.restricted);
  return createPortal(
    <div className="kith-print-only" data-testid="print-document">
      <header>
        <h1>Psychosocial assessment</h1>
        <p>
          <strong>{chartName(p)}</strong> · Born {formatCalendarDate(p.birthDate)} · MRN {p.mrn}
        </p>
        <p>{completedLine(assessment)}</p>
        {assessment.amendsId && (
          <p>
            Amendment of an earlier assessment
            {assessment.amendmentReason ? `: ${assessment.amendmentReason}` : ''}
          </p>
        )}
        {assessment.supersededById && <p>Superseded: a later amendment corrects this assessment.</p>}
      </header>
      {PSYCHOSOCIAL_SECTIONS.map((section) => (
        <section key={section.key}>
          <h2>
            {section.label}
            {section.sensitive ? ' (sensitive)' : ''}
          </h2>
          <p className="kith-print-text">
            {restricted.has(section.key)
              ? 'Restricted section.'
              : assessment.content?.[section.key]?.trim() || 'Not written.'}
          </p>
        </section>
      ))}
      <footer>
        <p>Confidential patient information. Printed {formatDateTime(new Date().toISOString())}.</p>
      </footer>
    </div>,
    document.body,
  );
}

/** A completed psychosocial assessment: read-only, every section under its heading, ready to print. */
export function PsychosocialView({
  patientId,
  assessment,
  onAmend,
}: {
  patientId: string;
  assessment: AssessmentView;
  onAmend: () => void;
}) {
  const chart = useChart(patientId);
  const restricted = new Set(assessment.restricted);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h3">
            Psychosocial assessment
          </Title>
          <Text size="sm">{completedLine(assessment)}</Text>
        </Stack>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconPrinter size={18} aria-hidden />}
            onClick={() => window.print()}
          >
            Print
          </Button>
          {assessment.abilities.amend && !assessment.supersededById && (
            <Button variant="default" onClick={onAmend}>
              Amend
            </Button>
          )}
        </Group>
      </Group>
      <AmendmentNotes assessment={assessment} />
      <Stack gap="md" maw={860}>
        {PSYCHOSOCIAL_SECTIONS.map((section) =>
          restricted.has(section.key) ? (
            <RestrictedSection key={section.key} label={section.label} />
          ) : (
            <Paper
              key={section.key}
              component="section"
              withBorder
              p="sm"
              aria-labelledby={`view-${section.key}`}
            >
              <Group gap={8} mb={4}>
                <Title order={3} size="h5" id={`view-${section.key}`}>
                  {section.label}
                </Title>
                {section.sensitive && (
                  <Badge color="grape" variant="light" tt="none">
                    Sensitive
                  </Badge>
                )}
              </Group>
              <Text className={classes.sectionText}>
                {assessment.content?.[section.key]?.trim() || 'Not written.'}
              </Text>
            </Paper>
          ),
        )}
      </Stack>
      {chart.data && <PrintDocument assessment={assessment} chart={chart.data} />}
    </Stack>
  );
}
