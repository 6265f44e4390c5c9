import type { z } from 'zod';
import { COMMON_LANGUAGES } from '../../../domain/languages.ts';
import { SDOH_DOMAIN_LABELS, SDOH_DOMAINS } from '../../../domain/needs.ts';
import type { ResourceSearchResponse as SearchResponse } from '../../../domain/schemas/resources.ts';
import { SITE_FINDER_MILES } from '../../../domain/schemas/site.ts';
import type { FieldError } from '../../platform/errors.ts';
import { escapeHtml as e, siteBase } from './layout.ts';
import { type SiteContext, sitePage } from './site.pages.ts';

/**
 * The public resource finder's page (issue 7): a GET form that works without JavaScript, the problems with
 * what was typed (each linked to its field, the values kept), and a page of the directory's public services
 * with what a person needs to reach them. Nothing here is about a patient.
 */

/** Results per page: short pages read better on a phone. */
export const FINDER_PAGE_SIZE = 10;
/** The distance chosen when a ZIP code is given without one. */
export const FINDER_DEFAULT_MILES = 10;

/** The form's fields as typed (strings), to put back into the form. */
export type FinderValues = Partial<
  Record<'q' | 'need' | 'zip' | 'miles' | 'language' | 'free' | 'open', string>
>;

const FIELD_IDS: Record<string, string> = {
  q: 'finder-q',
  need: 'finder-need',
  zip: 'finder-zip',
  miles: 'finder-miles',
  language: 'finder-language',
  free: 'finder-free',
  open: 'finder-open',
};
const FIELD_LABELS: Record<string, string> = {
  q: 'What are you looking for?',
  need: 'Need',
  zip: 'ZIP code',
  miles: 'Distance',
  language: 'Language',
  free: 'Free only',
  open: 'Open now',
};

type ResourceSearchResponse = z.infer<typeof SearchResponse>;

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
/** Names Intl gives twice (zh and cmn are both "Chinese"). */
const LANGUAGE_NAMES: Record<string, string> = { cmn: 'Mandarin Chinese' };
const languageName = (code: string) => {
  if (LANGUAGE_NAMES[code]) return LANGUAGE_NAMES[code];
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
};

/** The finder's language choices, by English name. */
const LANGUAGE_OPTIONS = [...new Set(COMMON_LANGUAGES as readonly string[])]
  .map((code) => ({ code, name: languageName(code) }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en'));

const option = (value: string, label: string, selected: boolean) =>
  `<option value="${e(value)}"${selected ? ' selected' : ''}>${e(label)}</option>`;

/** aria-invalid and aria-describedby (the hint, then the problem) of a field. */
function fieldAttrs(name: string, errors: readonly FieldError[], hintId?: string): string {
  const error = errors.find((x) => x.field === name);
  const described = [hintId, error && `${FIELD_IDS[name]}-error`].filter(Boolean).join(' ');
  return `${error ? ' aria-invalid="true"' : ''}${described ? ` aria-describedby="${described}"` : ''}`;
}
function fieldError(name: string, errors: readonly FieldError[]): string {
  const error = errors.find((x) => x.field === name);
  return error ? `<span class="field-error" id="${FIELD_IDS[name]}-error">${e(error.message)}</span>` : '';
}

function finderForm(action: string, v: FinderValues, errors: readonly FieldError[]): string {
  const miles = v.miles ?? String(FINDER_DEFAULT_MILES);
  return `<form class="finder" method="get" action="${action}" role="search" aria-label="Find community resources">
<div class="field wide"><label for="finder-q">${FIELD_LABELS.q}</label>
<input type="search" id="finder-q" name="q" value="${e(v.q ?? '')}" maxlength="200" placeholder="for example: food pantry, rent help, rides"${fieldAttrs('q', errors)}>${fieldError('q', errors)}</div>
<div class="field"><label for="finder-need">${FIELD_LABELS.need}</label>
<select id="finder-need" name="need"${fieldAttrs('need', errors)}>${option('', 'Any need', !v.need)}${SDOH_DOMAINS.map((d) => option(d, SDOH_DOMAIN_LABELS[d], v.need === d)).join('')}</select>${fieldError('need', errors)}</div>
<div class="field"><label for="finder-zip">${FIELD_LABELS.zip}</label>
<input type="text" id="finder-zip" name="zip" value="${e(v.zip ?? '')}" inputmode="numeric" autocomplete="postal-code" maxlength="5"${fieldAttrs('zip', errors, 'finder-zip-hint')}>
<span class="hint" id="finder-zip-hint">5 digits; to find services near you</span>${fieldError('zip', errors)}</div>
<div class="field"><label for="finder-miles">${FIELD_LABELS.miles}</label>
<select id="finder-miles" name="miles"${fieldAttrs('miles', errors)}>${SITE_FINDER_MILES.map((m) => option(String(m), `Within ${m} ${m === 1 ? 'mile' : 'miles'} of the ZIP code`, miles === String(m))).join('')}</select>${fieldError('miles', errors)}</div>
<div class="field"><label for="finder-language">${FIELD_LABELS.language}</label>
<select id="finder-language" name="language"${fieldAttrs('language', errors)}>${option('', 'Any language', !v.language)}${LANGUAGE_OPTIONS.map((l) => option(l.code, l.name, v.language === l.code)).join('')}</select>${fieldError('language', errors)}</div>
<fieldset class="field checks"><legend>Only show</legend>
<p><input type="checkbox" id="finder-free" name="free" value="on"${v.free ? ' checked' : ''}> <label for="finder-free">Free services</label></p>
<p><input type="checkbox" id="finder-open" name="open" value="on"${v.open ? ' checked' : ''}> <label for="finder-open">Open now</label></p>
</fieldset>
<p class="submit"><button type="submit">Search</button></p>
</form>`;
}

function errorSummary(errors: readonly FieldError[]): string {
  if (!errors.length) return '';
  return `<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">Please check the search</h2>
<ul>${errors
    .map(
      (x) =>
        `<li><a href="#${FIELD_IDS[x.field] ?? 'finder-q'}">${e(FIELD_LABELS[x.field] ?? x.field)}: ${e(x.message)}</a></li>`,
    )
    .join('')}</ul></div>`;
}

const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

function resultItem(item: ResourceSearchResponse['items'][number]): string {
  const description = item.description
    ? item.description.length > 400
      ? `${item.description.slice(0, 397).trimEnd()}…`
      : item.description
    : '';
  const facts = [
    item.address &&
      `<div><dt>Address</dt><dd>${e(item.address)}${item.distanceMiles !== null ? ` <span class="meta">(${item.distanceMiles} mi)</span>` : ''}</dd></div>`,
    item.phone &&
      `<div><dt>Phone</dt><dd><a href="${e(telHref(item.phone))}">${e(item.phone)}</a></dd></div>`,
    `<div><dt>Hours today</dt><dd>${e(item.hoursToday.text)}${item.hoursToday.openNow ? ' <strong class="open">Open now</strong>' : ''}</dd></div>`,
    item.languages.length &&
      `<div><dt>Languages</dt><dd>${e(item.languages.map(languageName).join(', '))}</dd></div>`,
    item.cost === 'free' && '<div><dt>Cost</dt><dd>Free</dd></div>',
  ].filter(Boolean);
  return `<li class="result"><article aria-labelledby="r-${item.id}">
<h3 id="r-${item.id}">${e(item.name)}</h3>
<p class="org">${e(item.organization.name)}</p>
${description ? `<p>${e(description)}</p>` : ''}
<dl>${facts.join('')}</dl>
</article></li>`;
}

function pager(action: string, v: FinderValues, page: number, pages: number): string {
  if (pages <= 1) return '';
  const href = (p: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(v)) if (value) params.set(key, value);
    params.set('page', String(p));
    return `${action}?${e(params.toString())}`;
  };
  return `<nav class="pager" aria-label="Result pages"><ul>
${page > 1 ? `<li><a href="${href(page - 1)}" rel="prev">Previous page</a></li>` : ''}
<li><span aria-current="page">Page ${page} of ${pages}</span></li>
${page < pages ? `<li><a href="${href(page + 1)}" rel="next">Next page</a></li>` : ''}
</ul></nav>`;
}

function results(action: string, v: FinderValues, found: ResourceSearchResponse): string {
  const shown = found.totalIsCapped ? `More than ${found.total}` : String(found.total);
  const noun = found.total === 1 && !found.totalIsCapped ? 'service' : 'services';
  const pages = Math.min(50, Math.ceil(found.total / FINDER_PAGE_SIZE));
  const corrected = found.corrections.length
    ? `<p>Searched for ${found.corrections.map((c) => `“${e(c.to)}” instead of “${e(c.from)}”`).join(', ')}.</p>`
    : '';
  return `<section class="results" aria-labelledby="results-title">
<h2 id="results-title">${shown} ${noun} found${found.origin ? ` near ${e(found.origin.label)}` : ''}</h2>
${corrected}
${
  found.items.length
    ? `<ol class="plain">${found.items.map(resultItem).join('\n')}</ol>`
    : '<p>Nothing matches this search. Try fewer words, another need, or a longer distance.</p>'
}
${pager(action, v, found.page, pages)}
</section>`;
}

/** The finder page: the form, the problems with it, and the results of a search when one was made. */
export function finderPage(
  ctx: SiteContext,
  input: { values: FinderValues; errors: readonly FieldError[]; found: ResourceSearchResponse | null },
): string {
  const action = `${siteBase(ctx.organization.slug)}/resources`;
  return sitePage(ctx, {
    title: input.errors.length ? 'Find community resources (check the search)' : 'Find community resources',
    description: 'Search community services near you by need, ZIP code, language and opening hours.',
    path: action,
    mainHtml: `<h1>Find community resources</h1>
<p class="lead">Services in the community that can help with food, housing, transport, bills, care at home and more. Search by need and ZIP code, or by words. Call a service before you go: hours and rules change. Our social workers can help you choose and apply.</p>
${errorSummary(input.errors)}
${finderForm(action, input.values, input.errors)}
${input.found ? results(action, input.values, input.found) : ''}`,
  });
}
