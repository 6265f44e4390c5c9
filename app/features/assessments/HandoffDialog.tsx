import { Alert, Button, CopyButton, Group, Image, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { AssessmentLanguage } from '../../../domain/assessments.ts';
import type { Questionnaire } from '../../../domain/instruments/fhir.ts';
import { api } from '../../api/client.ts';
import { formatTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignOut } from '../auth/session.ts';
import { useChart } from '../chart/use-chart.ts';
import { hasLanguage } from './questionnaire.ts';
import type { AssessmentView, HandoffResult } from './types.ts';
import { assessmentKey, useInstruments } from './use-assessments.ts';

/**
 * Hands the screen to the patient: a single-use link to a page that shows only the questions, in the
 * patient's language, opened on a separate tablet (link or QR code) or on this device after signing out.
 */
export function HandoffDialog({
  opened,
  onClose,
  patientId,
  assessment,
  questionnaire,
  flush,
}: {
  opened: boolean;
  onClose: () => void;
  patientId: string;
  assessment: AssessmentView;
  questionnaire: Questionnaire;
  flush: () => Promise<number>;
}) {
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const preferred = useChart(patientId).data?.patient.preferredLanguage;
  const spanish = hasLanguage(questionnaire, 'es');
  const spanishSource = useInstruments().data?.items.find(
    (i) => i.id === assessment.instrument && i.version === assessment.instrumentVersion,
  )?.spanish;
  const [language, setLanguage] = useState<AssessmentLanguage>('en');
  const [link, setLink] = useState<(HandoffResult & { url: string; qr: string | null }) | null>(null);

  // Each opening starts again, in the patient's language when the instrument has it.
  useEffect(() => {
    if (!opened) return;
    setLink(null);
    setLanguage(spanish && preferred?.toLowerCase().startsWith('es') ? 'es' : 'en');
  }, [opened, spanish, preferred]);

  const create = useMutation({
    mutationFn: async () =>
      api.post<HandoffResult>(`/api/assessments/${assessment.id}/handoff`, {
        version: await flush(),
        language,
      }),
    onSuccess: async (created) => {
      void queryClient.invalidateQueries({ queryKey: assessmentKey(assessment.id) });
      const url = new URL(created.path, window.location.origin).toString();
      const qr = await QRCode.toDataURL(url, { margin: 2, width: 240 }).catch(() => null);
      setLink({ ...created, url, qr });
    },
  });

  async function openHere() {
    if (!link) return;
    // The worker's session must not stay open behind the patient's page.
    await signOut();
    window.location.assign(link.path);
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Hand to patient"
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
    >
      {!link ? (
        <Stack>
          <Text>
            The patient sees only the questions, answers them, and the page locks when they are done. They
            never see the score.
          </Text>
          <Radio.Group
            label="Language of the questions"
            value={language}
            onChange={(v) => setLanguage(v as AssessmentLanguage)}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="en" label="English" />
              <Radio
                value="es"
                label="Spanish"
                disabled={!spanish}
                description={
                  spanish
                    ? undefined
                    : 'Kith has no published Spanish wording of this instrument. Give it with an interpreter instead.'
                }
              />
            </Stack>
          </Radio.Group>
          {language === 'es' && spanishSource && !spanishSource.checked ? (
            <Alert color="yellow" title="Working translation">
              This Spanish is Kith's working translation, not yet checked word by word against the published
              Spanish version. Have an interpreter at hand if the patient is unsure of a question.
            </Alert>
          ) : null}
          <ProblemAlert error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={() => create.mutate()} loading={create.isPending}>
              Create the patient link
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <Alert color="teal" variant="light" role="status" title="The patient link is ready">
            It works once, until {formatTime(link.expiresAt)}. Open it on the tablet, or scan the code.
          </Alert>
          <Group align="flex-end" wrap="nowrap">
            <TextInput label="Patient link" value={link.url} readOnly style={{ flex: 1 }} />
            <CopyButton value={link.url}>
              {({ copied, copy }) => (
                <Button variant="default" onClick={copy}>
                  {copied ? 'Copied' : 'Copy link'}
                </Button>
              )}
            </CopyButton>
          </Group>
          {link.qr && <Image src={link.qr} alt="QR code of the patient link" w={240} h={240} />}
          <Text size="sm">
            No second device? “Use this device” signs you out and opens the patient page here. Sign in again
            when the patient hands it back.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={openHere}>
              Use this device
            </Button>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
