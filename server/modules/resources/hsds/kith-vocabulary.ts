import { SDOH_CATEGORY_SYSTEM, SDOH_DOMAIN_LABELS, SDOH_DOMAINS } from '../../../../domain/needs.ts';
import { ASSISTANCE_KINDS, EligibilityRules } from '../../../../domain/resources.ts';
import { derivedId } from './legacy.ts';

/**
 * What Kith adds to a service (the SDOH domains it addresses, the financial-assistance program it is, its
 * machine-checkable eligibility) travels in HSDS files as attributes of three Kith taxonomies, so that an export
 * imports again with them:
 * - `kith-sdoh`: one term per Gravity Project SDOH domain code (domain/needs.ts), one attribute per domain;
 * - `kith-assistance`: one term per assistance kind (domain/resources.ts);
 * - `kith-eligibility`: one term, `rules`, whose attribute `value` is the rules as JSON (`EligibilityRules`).
 * Their ids are UUIDs derived from the names, the same in every export. Kith keeps these values on the service
 * itself, not as attribute rows: an import sets them (only for the services the file gives them for) and an
 * export writes them.
 */
export type KithKind = 'sdoh' | 'assistance' | 'eligibility';

export const KITH_TAXONOMIES: Record<
  KithKind,
  { id: string; name: string; description: string; uri: string | null }
> = {
  sdoh: {
    id: derivedId('taxonomy', 'kith-sdoh'),
    name: 'kith-sdoh',
    description: 'Kith: the social needs (Gravity Project SDOH domains) a service addresses',
    uri: SDOH_CATEGORY_SYSTEM,
  },
  assistance: {
    id: derivedId('taxonomy', 'kith-assistance'),
    name: 'kith-assistance',
    description: 'Kith: the financial-assistance program a service is',
    uri: null,
  },
  eligibility: {
    id: derivedId('taxonomy', 'kith-eligibility'),
    name: 'kith-eligibility',
    description: 'Kith: machine-checkable eligibility rules, as JSON in the attribute value',
    uri: null,
  },
};

const CODES: Record<KithKind, readonly string[]> = {
  sdoh: SDOH_DOMAINS,
  assistance: Object.keys(ASSISTANCE_KINDS),
  eligibility: ['rules'],
};

const labelOf = (kind: KithKind, code: string): string =>
  kind === 'sdoh'
    ? SDOH_DOMAIN_LABELS[code as keyof typeof SDOH_DOMAIN_LABELS]
    : kind === 'assistance'
      ? ASSISTANCE_KINDS[code as keyof typeof ASSISTANCE_KINDS]
      : 'Eligibility rules';

export const kithTermId = (kind: KithKind, code: string) =>
  derivedId('term', KITH_TAXONOMIES[kind].name, code);
export const kithAttributeId = (kind: KithKind, serviceExternalId: string, code: string) =>
  derivedId('attribute', KITH_TAXONOMIES[kind].name, serviceExternalId, code);

/** Every Kith term by its id. */
const TERMS = new Map<string, { kind: KithKind; code: string }>(
  (Object.keys(CODES) as KithKind[]).flatMap((kind) =>
    CODES[kind].map((code) => [kithTermId(kind, code), { kind, code }] as const),
  ),
);
const TAXONOMY_BY_KEY = new Map<string, KithKind>(
  (Object.keys(KITH_TAXONOMIES) as KithKind[]).flatMap((kind) => [
    [KITH_TAXONOMIES[kind].id, kind],
    [KITH_TAXONOMIES[kind].name, kind],
  ]),
);

export const isKithTaxonomy = (id: string) => TAXONOMY_BY_KEY.has(id);

/**
 * Whether a taxonomy_term row is one of Kith's (by its id, its taxonomy_id or its taxonomy name), and if so
 * which, or why it cannot be (a code Kith does not know).
 */
export function kithTermOf(
  values: Record<string, unknown>,
): { kind: KithKind; code: string } | { reason: string } | null {
  const known = TERMS.get(String(values.id));
  if (known) return known;
  const kind =
    TAXONOMY_BY_KEY.get(String(values.taxonomy_id ?? '')) ??
    TAXONOMY_BY_KEY.get(String(values.taxonomy ?? ''));
  if (!kind) return null;
  const code = String(values.code ?? '');
  return CODES[kind].includes(code)
    ? { kind, code }
    : { reason: `code "${code}" is not a ${KITH_TAXONOMIES[kind].name} code (${CODES[kind].join(', ')})` };
}

export const kithTermById = (id: string) => TERMS.get(id) ?? null;

/** What a Kith attribute sets on its service. */
export type KithValue =
  | { kind: 'sdoh'; code: string }
  | { kind: 'assistance'; code: string }
  | { kind: 'eligibility'; rules: EligibilityRules };

/** Reads a Kith attribute's value; eligibility rules must parse as `EligibilityRules`. */
export function kithValueOf(
  term: { kind: KithKind; code: string },
  value: unknown,
): KithValue | { reason: string } {
  if (term.kind !== 'eligibility') return { kind: term.kind, code: term.code };
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value ?? ''));
  } catch {
    return { reason: 'value must be the eligibility rules as JSON' };
  }
  const rules = EligibilityRules.safeParse(parsed);
  if (!rules.success) {
    const issue = rules.error.issues[0]!;
    return { reason: `value: eligibility ${issue.path.join('.') || 'rules'} ${issue.message}` };
  }
  return { kind: 'eligibility', rules: rules.data };
}

/** The Kith fields of a service, for the export. */
export interface KithServiceFields {
  externalId: string;
  domains: readonly string[];
  assistanceKind: string | null;
  eligibility: Record<string, unknown>;
}

/** The taxonomies, terms and attributes that carry a service's Kith fields in an HSDS export. */
export function kithRowsOf(services: readonly KithServiceFields[]) {
  const attributes: Record<string, string | null>[] = [];
  const used = new Map<string, { kind: KithKind; code: string }>();
  const attach = (kind: KithKind, service: KithServiceFields, code: string, value: string | null) => {
    const termId = kithTermId(kind, code);
    used.set(termId, { kind, code });
    attributes.push({
      id: kithAttributeId(kind, service.externalId, code),
      link_id: service.externalId,
      taxonomy_term_id: termId,
      link_type: null,
      link_entity: 'service',
      value,
    });
  };
  for (const service of services) {
    for (const code of service.domains) attach('sdoh', service, code, code);
    if (service.assistanceKind) attach('assistance', service, service.assistanceKind, service.assistanceKind);
    if (Object.keys(service.eligibility).length > 0)
      attach('eligibility', service, 'rules', JSON.stringify(sortedKeys(service.eligibility)));
  }
  const kinds = new Set([...used.values()].map((t) => t.kind));
  const taxonomies = [...kinds].map((kind) => {
    const t = KITH_TAXONOMIES[kind];
    return { id: t.id, name: t.name, description: t.description, uri: t.uri, version: null };
  });
  const terms = [...used.entries()].map(([id, { kind, code }]) => ({
    id,
    code,
    name: labelOf(kind, code),
    description: labelOf(kind, code),
    parent_id: null,
    taxonomy: KITH_TAXONOMIES[kind].name,
    language: 'en',
    taxonomy_id: KITH_TAXONOMIES[kind].id,
    term_uri: null,
  }));
  return { taxonomies, terms, attributes };
}

/** The rules with their keys in order, so that the same rules always export as the same text. */
const sortedKeys = (rules: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(rules).sort(([a], [b]) => a.localeCompare(b)));
