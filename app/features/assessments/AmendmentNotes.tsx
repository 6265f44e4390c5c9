import { Alert, Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { AssessmentView } from './types.ts';
import { assessmentPath } from './use-assessments.ts';

/** An amendment points at the original it corrects; a superseded original points at its amendment. */
export function AmendmentNotes({ assessment }: { assessment: AssessmentView }) {
  return (
    <>
      {assessment.supersededById && (
        <Alert color="yellow" variant="light" title="Superseded by an amendment">
          <Text size="sm">
            This result was corrected; it is kept as it was given.{' '}
            <Anchor
              component={Link}
              to={assessmentPath(assessment.patientId, assessment.supersededById)}
              c="inherit"
              fw={700}
              underline="always"
            >
              Open the amendment
            </Anchor>
          </Text>
        </Alert>
      )}
      {assessment.amendsId && (
        <Alert color="blue" variant="light" title="Amendment">
          <Text size="sm">
            This corrects an earlier result, which is kept as it was.
            {assessment.amendmentReason ? ` Reason: ${assessment.amendmentReason}` : ''}{' '}
            <Anchor
              component={Link}
              to={assessmentPath(assessment.patientId, assessment.amendsId)}
              c="inherit"
              fw={700}
              underline="always"
            >
              Open the original
            </Anchor>
          </Text>
        </Alert>
      )}
    </>
  );
}
