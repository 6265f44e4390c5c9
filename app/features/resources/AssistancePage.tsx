import { List, Loader, Text } from '@mantine/core';
import { PageTitle } from '../../components/PageTitle.tsx';
import { describeEligibility } from './labels.ts';
import { ResourceSearch } from './ResourceSearch.tsx';
import classes from './resources.module.css';
import type { SearchResult } from './types.ts';
import { useService } from './use-resources.ts';

/** A program's eligibility in plain words, from its machine-checkable rules and its own description. */
function ProgramRules({ result }: { result: SearchResult }) {
  const detail = useService(result.serviceId);
  if (detail.isPending) return <Loader size="xs" aria-label={`Loading the rules of ${result.name}`} />;
  if (!detail.data) return null;
  const rules = describeEligibility(detail.data.eligibility);
  const headingId = `rules-${result.id}`;
  return (
    <div>
      <Text size="sm" className={classes.label} id={headingId}>
        Who qualifies:
      </Text>
      {rules.length === 0 && !detail.data.eligibilityDescription ? (
        <Text size="sm">No eligibility rules are recorded.</Text>
      ) : (
        <List size="sm" aria-labelledby={headingId}>
          {rules.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
          {detail.data.eligibilityDescription && <List.Item>{detail.data.eligibilityDescription}</List.Item>}
        </List>
      )}
      {detail.data.requiredDocuments.length > 0 && (
        <Text size="sm">
          <span className={classes.label}>What to bring: </span>
          {detail.data.requiredDocuments.join('; ')}
        </Text>
      )}
    </div>
  );
}

/**
 * `/resources/assistance`: the financial-assistance programs (charity care, Medicaid and SNAP application help,
 * utility, prescription and transport assistance), each with who qualifies in words; with a patient in
 * context, the verdict for them on every program.
 */
export function AssistancePage() {
  return (
    <>
      <PageTitle>Financial assistance</PageTitle>
      <ResourceSearch assistanceOnly extra={(result) => <ProgramRules result={result} />} />
    </>
  );
}
