import { Button, Group, Loader } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useParams } from 'react-router';
import type { z } from 'zod';
import {
  CHOICE_STATEMENT,
  RATING_MEASURES,
  type RatingMeasure,
  ratingText,
} from '../../../domain/placement.ts';
import type { ChoiceList } from '../../../domain/schemas/placement.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import classes from './ChoiceListPrintPage.module.css';

/** The choice list as the patient takes it home: providers nearest first, their ratings, the right to choose. */
export function ChoiceListPrintPage() {
  const { choiceListId } = useParams();
  const list = useQuery({
    queryKey: ['choice-list', choiceListId],
    queryFn: () => api.get<z.infer<typeof ChoiceList>>(`/api/choice-lists/${choiceListId}`),
  });
  useEffect(() => {
    document.title = 'Your choice of post-acute providers · Kith';
  }, []);
  if (list.isPending) return <Loader aria-label="Loading the choice list" />;
  if (list.error) return <ProblemAlert error={list.error} />;
  const data = list.data;
  return (
    <article className={classes.sheet}>
      <Group className={classes.noPrint} mb="md">
        <Button leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
          Print
        </Button>
      </Group>
      <h1>Your choice of {data.kindLabel.toLowerCase()} providers</h1>
      <p>
        Prepared {new Date(data.createdAt).toLocaleDateString()}
        {data.criteria.origin ? ` · distances from ${data.criteria.origin}` : ''}
        {data.criteria.radiusMiles ? `, within ${data.criteria.radiusMiles} miles` : ''}
      </p>
      <p className={classes.statement}>{CHOICE_STATEMENT}</p>
      {data.providers.length === 0 && <p>No provider matched. Your social worker will help you find one.</p>}
      {data.providers.map((p, i) => (
        <section key={p.serviceId} className={classes.provider} aria-labelledby={`provider-${p.serviceId}`}>
          <h2 id={`provider-${p.serviceId}`}>
            {i + 1}. {p.name}
          </h2>
          <p>{p.address ?? 'Address: ask your social worker'}</p>
          <p>Phone: {p.phone ?? 'ask your social worker'}</p>
          <p>Distance: {p.distanceMiles === null ? 'unknown' : `${p.distanceMiles} miles`}</p>
          <p>
            Ratings:{' '}
            {p.ratings.length
              ? p.ratings
                  .map((r) => `${RATING_MEASURES[r.measure as RatingMeasure] ?? r.measure} ${ratingText(r)}`)
                  .join('; ')
              : 'not rated'}
            {p.ratings[0] ? ` (${p.ratings[0].source}, as of ${p.ratings[0].asOf})` : ''}
          </p>
          {p.financialInterest && (
            <p className={classes.interest}>The hospital has a financial interest: {p.financialInterest}</p>
          )}
        </section>
      ))}
      <p className={classes.statement}>
        My choices, in order: 1. ____________________ 2. ____________________ 3. ____________________
        <br />
        Signed (patient or representative): ______________________ Date: __________
      </p>
    </article>
  );
}
