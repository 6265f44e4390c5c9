import classes from './reports.module.css';

/** What each column counts: the SDOH-1 and SDOH-2 definitions (domain.md "Measures"). */
export function CoverageDefinitions() {
  return (
    <dl className={classes.definitions}>
      <dt>Adults admitted</dt>
      <dd>
        Patients 18 or older at admission, admitted as inpatients, counted by month of admission and unit.
      </dd>
      <dt>Excluded</dt>
      <dd>
        Of those, patients who opted out of screening, or who were unable to complete it with no proxy to
        answer for them, and who were not fully screened.
      </dd>
      <dt>Eligible</dt>
      <dd>Adults admitted minus those excluded: the SDOH-1 denominator.</dd>
      <dt>Screened for all five</dt>
      <dd>
        Eligible patients screened during the stay for all five of food insecurity, housing instability,
        transportation needs, utility difficulties and interpersonal safety (the AHC core domains, from one
        screen or several): the SDOH-1 numerator.
      </dd>
      <dt>SDOH-1 screening rate</dt>
      <dd>Screened for all five, divided by eligible.</dd>
      <dt>Positive and rate per domain (SDOH-2)</dt>
      <dd>
        Among the patients screened for all five, how many screened positive for that domain, and that number
        divided by those screened: five separate rates.
      </dd>
      <dt>—</dt>
      <dd>No rate: nobody in the denominator (nobody eligible, or nobody screened).</dd>
    </dl>
  );
}
