import { Alert, Anchor, Button, Group, List, Loader, Modal, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { SdohDomain } from '../../../domain/needs.ts';
import { ApiError } from '../../api/client.ts';
import type { Patient } from '../../api/types.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { languageName } from '../../components/language.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { usePatient } from '../patients/PatientDetailsTab.tsx';
import { ConsentStep, usableConsent } from './ConsentStep.tsx';
import { ContactFields, type ReferralDetailsDraft } from './ContactFields.tsx';
import { ServiceSearchPanel, sameChoice } from './ServiceSearchPanel.tsx';
import type { ChosenService, ReferralView } from './types.ts';
import { useConsents, useCreateReferrals } from './use-referrals.ts';

type Step = 'services' | 'consent' | 'details';
const STEPS: { id: Step; title: string }[] = [
  { id: 'services', title: 'Choose services' },
  { id: 'consent', title: 'Consent to share' },
  { id: 'details', title: 'Contact and send' },
];

export interface ReferNeed {
  id: string;
  domain: SdohDomain;
  label: string;
}

function draftFrom(patient: Patient | undefined): ReferralDetailsDraft {
  const phone = patient?.phones.find((p) => p.use === 'mobile') ?? patient?.phones[0];
  return {
    methods: ['phone'],
    phone: phone?.number ?? '',
    email: '',
    bestTimes: '',
    language: patient ? languageName(patient.preferredLanguage) : '',
    interpreterNeeded: patient?.interpreterNeeded ?? false,
    note: '',
    priority: 'routine',
  };
}

const nameOf = (p: Patient | undefined) => (p ? `${p.givenName} ${p.familyName}` : '');

/** The organisations of the chosen services, each once, in the order chosen. */
function organizationsOf(chosen: readonly ChosenService[]) {
  const seen = new Map<string, { id: string; name: string }>();
  for (const c of chosen) if (!seen.has(c.organization.id)) seen.set(c.organization.id, c.organization);
  return [...seen.values()];
}

/**
 * Refers a need to one or more services: choose them (search within the dialog, or those chosen on the
 * directory page), record the patient's consent per organisation, then the contact preferences, a note and
 * the priority; send, or keep as drafts.
 */
export function ReferDialog({
  patientId,
  need,
  initial = [],
  onClose,
}: {
  patientId: string;
  need: ReferNeed | null;
  /** Services chosen on the directory page before the dialog opened: the dialog then starts at consent. */
  initial?: readonly ChosenService[];
  onClose: (created?: ReferralView[], sent?: boolean) => void;
}) {
  const patient = usePatient(patientId);
  const consents = useConsents(patientId, Boolean(need));
  const [step, setStep] = useState<Step>(initial.length > 0 ? 'consent' : 'services');
  const [chosen, setChosen] = useState<ChosenService[]>([]);
  const [draft, setDraft] = useState<ReferralDetailsDraft>(() => draftFrom(undefined));
  const [missing, setMissing] = useState<Record<string, string>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  const create = useCreateReferrals(patientId, need?.id ?? '', (created) =>
    onClose(created, create.variables?.send !== false),
  );

  // Each opening starts clean, with the services chosen elsewhere and the patient's contact details.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when another need opens
  useEffect(() => {
    setStep(initial.length > 0 ? 'consent' : 'services');
    setChosen([...initial]);
    setMissing({});
    create.reset();
  }, [need?.id]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: prefill once the record arrives
  useEffect(() => {
    setDraft(draftFrom(patient.data));
  }, [patient.data?.id, need?.id]);

  const organizations = useMemo(() => organizationsOf(chosen), [chosen]);
  const consentList = consents.data ?? [];
  const withoutConsent = organizations.filter((o) => !usableConsent(consentList, o.id));

  if (!need) return null;
  const errors = { ...fieldErrorsOf(create.error), ...missing };
  const index = STEPS.findIndex((s) => s.id === step);

  function go(to: Step) {
    setStep(to);
    setMissing({});
    requestAnimationFrame(() => heading.current?.focus());
  }

  function toggle(service: ChosenService) {
    setChosen((list) =>
      list.some((c) => sameChoice(c, service))
        ? list.filter((c) => !sameChoice(c, service))
        : [...list, service],
    );
    setMissing({});
  }

  function next() {
    if (step === 'services') {
      if (chosen.length === 0) {
        setMissing({ services: 'Choose at least one service' });
        return;
      }
      go('consent');
    } else if (step === 'consent') {
      if (withoutConsent.length > 0) {
        setMissing({
          consent: `Record the patient’s consent for ${withoutConsent.map((o) => o.name).join(', ')}`,
        });
        return;
      }
      go('details');
    }
  }

  function submit(send: boolean) {
    if (draft.methods.length === 0) {
      setMissing({ 'contactPreferences.methods': 'Choose at least one way to reach the patient' });
      return;
    }
    setMissing({});
    const text = (v: string) => (v.trim() ? v.trim() : null);
    create.mutate({
      services: chosen.map((c) => ({ serviceId: c.serviceId, locationId: c.locationId })),
      note: text(draft.note),
      priority: draft.priority,
      contactPreferences: {
        methods: draft.methods as ReferralView['contactPreferences']['methods'],
        phone: text(draft.phone),
        email: text(draft.email),
        bestTimes: text(draft.bestTimes),
        language: text(draft.language),
        interpreterNeeded: draft.interpreterNeeded,
      },
      send,
    });
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(true);
  };

  // Problems the details step cannot place: the services or the consent (a 409 says which).
  const servicesError =
    errors.services ?? Object.entries(errors).find(([k]) => k.startsWith('services.'))?.[1];
  const placed = Object.keys(fieldErrorsOf(create.error)).length > 0;
  const consentProblem = create.error instanceof ApiError && create.error.status === 409;

  const footer = (
    <Group justify="space-between">
      <Button variant="default" onClick={() => onClose()}>
        Cancel
      </Button>
      <Group>
        {index > 0 && (
          <Button variant="default" onClick={() => go(STEPS[index - 1]!.id)}>
            Back
          </Button>
        )}
        {step === 'details' ? (
          <>
            <Button
              variant="default"
              onClick={() => submit(false)}
              loading={create.isPending && create.variables?.send === false}
            >
              Save as draft
            </Button>
            <Button type="submit" loading={create.isPending && create.variables?.send !== false}>
              {chosen.length === 1 ? 'Send referral' : `Send ${chosen.length} referrals`}
            </Button>
          </>
        ) : (
          <Button onClick={next}>Next</Button>
        )}
      </Group>
    </Group>
  );

  return (
    <Modal
      opened
      onClose={() => onClose()}
      title={`Refer: ${need.label}`}
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
      returnFocus={false}
    >
      <Stack>
        <Text size="sm" aria-live="polite">
          Step {index + 1} of {STEPS.length}
        </Text>
        <Title order={3} size="h4" ref={heading} tabIndex={-1}>
          {STEPS[index]?.title}
        </Title>
        {chosen.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              Chosen ({chosen.length})
            </Text>
            <List size="sm" spacing={2} aria-label="Chosen services">
              {chosen.map((c) => (
                <List.Item key={`${c.serviceId}-${c.locationId ?? ''}`}>
                  {c.name}, {c.organization.name}
                  {c.address ? ` — ${c.address}` : ''}
                  {step === 'services' && (
                    <Button
                      variant="subtle"
                      size="compact-xs"
                      ml="xs"
                      onClick={() => toggle(c)}
                      aria-label={`Remove ${c.name}`}
                    >
                      Remove
                    </Button>
                  )}
                </List.Item>
              ))}
            </List>
          </Stack>
        )}
        {servicesError && (
          <Alert color="red" role="alert">
            {servicesError}
          </Alert>
        )}
        {step === 'services' && (
          <>
            <ServiceSearchPanel
              patientId={patientId}
              domain={need.domain}
              chosen={chosen}
              onToggle={toggle}
            />
            <Text size="sm">
              More filters (distance, language, hours, programmes) are on the{' '}
              <Anchor
                component={Link}
                to={`/resources?${new URLSearchParams({ patientId, needId: need.id, domain: need.domain })}`}
              >
                directory page
              </Anchor>
              : services selected there are referred from its selection bar.
            </Text>
          </>
        )}
        {step === 'consent' &&
          (consents.isPending ? (
            <Loader aria-label="Loading consents" />
          ) : (
            <>
              <ProblemAlert error={consents.error} />
              <ConsentStep
                patientId={patientId}
                patientName={nameOf(patient.data)}
                organizations={organizations}
                consents={consentList}
              />
              {errors.consent && (
                <Alert color="red" role="alert">
                  {errors.consent}
                </Alert>
              )}
            </>
          ))}
        {step === 'details' && (
          <form onSubmit={onSubmit} noValidate aria-label="Contact and send">
            <Stack>
              {create.error && !placed && (
                <Stack gap="xs">
                  <ProblemAlert error={create.error} />
                  {consentProblem && (
                    <Group>
                      <Button variant="default" onClick={() => go('consent')}>
                        Back to consent
                      </Button>
                    </Group>
                  )}
                </Stack>
              )}
              <ContactFields
                draft={draft}
                onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
                errors={errors}
              />
              {footer}
            </Stack>
          </form>
        )}
        {step !== 'details' && footer}
      </Stack>
    </Modal>
  );
}
