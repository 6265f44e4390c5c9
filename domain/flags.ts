/**
 * What a social worker must see first, on the chart header and the worklist. Stored flags are raised and
 * cleared by people or by services (an assessment alarm raises crisis-risk); `interpreter-needed` is also
 * derived from the patient's record.
 */
export const FLAG_KINDS = {
  'crisis-risk': { label: 'Crisis risk', severity: 'high' },
  'safety-concern': { label: 'Safety concern', severity: 'high' },
  'interpreter-needed': { label: 'Interpreter needed', severity: 'info' },
  'advance-directive': { label: 'Advance directive on file', severity: 'info' },
  'new-results': { label: 'New results', severity: 'info' },
  readmission: { label: 'Readmitted within 30 days', severity: 'moderate' },
  'stalled-referral': { label: 'Stalled referral', severity: 'moderate' },
  'mandated-report': { label: 'Mandated report due', severity: 'high' },
} as const satisfies Record<string, { label: string; severity: 'high' | 'moderate' | 'info' }>;

export type FlagKind = keyof typeof FLAG_KINDS;
export const FLAG_KIND_CODES = Object.keys(FLAG_KINDS) as [FlagKind, ...FlagKind[]];
