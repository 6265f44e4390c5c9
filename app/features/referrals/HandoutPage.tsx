import { Alert, Anchor, Button, Group, Radio, Stack, Text } from '@mantine/core';
import { IconDownload, IconPrinter } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { HANDOUT_LABELS, type HandoutLanguage } from '../../../domain/handout.ts';
import type { Handout, HandoutService } from '../../../domain/schemas/handout.ts';
import { api } from '../../api/client.ts';
import { languageName } from '../../components/language.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import classes from './HandoutPage.module.css';

type HandoutData = z.infer<typeof Handout>;

/** The handout's address: `/api/patients/:id/resource-handout?serviceIds=…&referralIds=…&lang=…&format=…`. */
export function handoutApiUrl(
  patientId: string,
  ids: { serviceIds: string[]; referralIds: string[] },
  lang: string | null,
  format: 'json' | 'pdf',
): string {
  const query = new URLSearchParams();
  if (ids.serviceIds.length) query.set('serviceIds', ids.serviceIds.join(','));
  if (ids.referralIds.length) query.set('referralIds', ids.referralIds.join(','));
  if (lang) query.set('lang', lang);
  query.set('format', format);
  return `/api/patients/${patientId}/resource-handout?${query.toString().replaceAll('%2C', ',')}`;
}

const idsOf = (value: string | null) => (value ?? '').split(',').filter(Boolean);

function ServiceSection({ service, language }: { service: HandoutService; language: HandoutLanguage }) {
  const t = HANDOUT_LABELS[language];
  const headingId = `handout-service-${service.id}`;
  return (
    <section className={classes.service} aria-labelledby={headingId}>
      <h2 id={headingId}>{service.name}</h2>
      <p>
        <strong>{t.offeredBy}:</strong> {service.organization}
      </p>
      {service.status !== 'active' && (
        <p className={classes.warning}>
          {service.status === 'temporarily closed' ? t.temporarilyClosed : t.mayHaveClosed}
        </p>
      )}
      {service.places.map((place, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: places have no id of their own on the handout
        <dl key={index} className={classes.facts}>
          {service.places.length > 1 && place.name && (
            <>
              <dt>{t.location}</dt>
              <dd>{place.name}</dd>
            </>
          )}
          <dt>{t.address}</dt>
          <dd>{place.address ?? t.noAddress}</dd>
          {place.phones.length > 0 && (
            <>
              <dt>{t.phone}</dt>
              <dd>
                {place.phones.map((phone, i) => (
                  <span key={phone}>
                    {i > 0 && ' · '}
                    <a href={`tel:${phone.replace(/[^0-9+]/g, '')}`}>{phone}</a>
                  </span>
                ))}
              </dd>
            </>
          )}
          <dt>{t.hours}</dt>
          <dd>
            {place.hours.length > 0 ? (
              <ul>
                {place.hours.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ) : (
              t.callForHours
            )}
          </dd>
        </dl>
      ))}
      {service.morePlaces > 0 && <p>{t.moreLocations(service.morePlaces)}</p>}
      <h3>{t.whatToBring}</h3>
      {service.requiredDocuments.length > 0 ? (
        <ul>
          {service.requiredDocuments.map((document) => (
            <li key={document}>{document}</li>
          ))}
        </ul>
      ) : (
        <p>{t.nothingToBring}</p>
      )}
      <dl className={classes.facts}>
        {service.applicationProcess && (
          <>
            <dt>{t.howToApply}</dt>
            <dd>{service.applicationProcess}</dd>
          </>
        )}
        {service.fees && (
          <>
            <dt>{t.cost}</dt>
            <dd>{service.fees}</dd>
          </>
        )}
        {service.url && (
          <>
            <dt>{t.website}</dt>
            <dd>
              <a href={service.url}>{service.url}</a>
            </dd>
          </>
        )}
        {service.email && (
          <>
            <dt>{t.email}</dt>
            <dd>
              <a href={`mailto:${service.email}`}>{service.email}</a>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** The handout itself, in its own language: what is printed, and what the PDF says. */
export function HandoutDocument({ handout }: { handout: HandoutData }) {
  const t = HANDOUT_LABELS[handout.language];
  return (
    <article lang={handout.language} className={classes.handout} aria-labelledby="handout-title">
      <header>
        <h1 id="handout-title">{handout.title}</h1>
        <p>
          <strong>{t.preparedFor}:</strong> {handout.preparedFor} · <strong>{t.date}:</strong>{' '}
          <time dateTime={handout.preparedOn}>{handout.preparedOnText}</time>
        </p>
        <p>{t.intro}</p>
        <div className={classes.contact}>
          <p>
            <strong>{t.questions}:</strong>
          </p>
          <p>
            {handout.socialWorker.name},{' '}
            <a href={`mailto:${handout.socialWorker.email}`}>{handout.socialWorker.email}</a>
          </p>
          <p>
            <strong>{t.department}:</strong> {handout.department}
          </p>
        </div>
      </header>
      {handout.services.map((service) => (
        <ServiceSection key={service.id} service={service} language={handout.language} />
      ))}
    </article>
  );
}

/**
 * `/patients/:patientId/resource-handout?serviceIds=…&referralIds=…&lang=…`: the "Your resources" handout to
 * print or download as a PDF, in the patient's language (English or Spanish, switchable).
 */
export function HandoutPage() {
  const { patientId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const ids = { serviceIds: idsOf(params.get('serviceIds')), referralIds: idsOf(params.get('referralIds')) };
  const lang = params.get('lang');
  const handout = useQuery({
    queryKey: ['patients', patientId, 'resource-handout', ids, lang],
    queryFn: () => api.get<HandoutData>(handoutApiUrl(patientId, ids, lang, 'json')),
    // The handout in the other language replaces this one when it is ready, without a blank in between.
    placeholderData: keepPreviousData,
  });
  useEffect(() => {
    document.title = 'Handout for the patient · Kith';
  }, []);
  // The language asked for shows at once; without one, the handout's own (the patient's, or English).
  const language = lang === 'en' || lang === 'es' ? lang : (handout.data?.language ?? 'en');
  const chooseLanguage = (value: string) => {
    const next = new URLSearchParams(params);
    next.set('lang', value);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="md">
      <Group data-print="hide" gap="md" align="flex-end" wrap="wrap">
        <Anchor component={Link} to={`/patients/${patientId}`}>
          Back to the chart
        </Anchor>
        <Radio.Group label="Handout language" value={language} onChange={chooseLanguage}>
          <Group gap="md" mt={4}>
            <Radio value="en" label="English" />
            <Radio value="es" label={<span lang="es">Español</span>} />
          </Group>
        </Radio.Group>
        <Button leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
          Print
        </Button>
        <Button
          component="a"
          variant="default"
          href={handoutApiUrl(patientId, ids, lang ?? handout.data?.language ?? null, 'pdf')}
          download
          leftSection={<IconDownload size={16} aria-hidden />}
        >
          Download PDF
        </Button>
      </Group>
      <ProblemAlert error={handout.error} />
      {handout.data?.fallbackFrom && (
        <Alert
          data-print="hide"
          color="yellow"
          variant="light"
          title="Not available in the patient's language"
        >
          The handout is in English: it is not yet written in {languageName(handout.data.fallbackFrom)}.
        </Alert>
      )}
      {handout.isPending && <Text role="status">Preparing the handout…</Text>}
      {handout.data && <HandoutDocument handout={handout.data} />}
    </Stack>
  );
}
