import { v5 as uuidv5 } from 'uuid';
import type { SourceRecord } from './records.ts';
import type { AliasedTable, HsdsTable } from './spec.ts';

/** The namespace of the ids Kith derives (rows made from an HSDS 1.1 column, Kith's own vocabulary). */
export const KITH_ID_NAMESPACE = '3b8f7f2e-5f0c-4c0b-9a43-6f1d2b6a9e51';
export const derivedId = (...parts: string[]) => uuidv5(parts.join('|'), KITH_ID_NAMESPACE);

type Row = Pick<SourceRecord, 'file' | 'row' | 'values'>;

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** The English name of a language code, or null when it is not one. */
export function languageName(code: string): string | null {
  try {
    const name = languageNames.of(code);
    return name && name.toLowerCase() !== code.toLowerCase() ? name : null;
  } catch {
    return null;
  }
}

/**
 * Reads a row of an HSDS 1.1 layout as HSDS 3.0: organizations.url is the website; services.location_id
 * becomes a service_at_location row and phones.language language rows (with ids derived from the row's, so
 * that a second import finds them again); physical_address and postal_address are addresses; regular_schedule
 * a weekly schedule (weekday 1 = Monday, or a day's name); service_taxonomy an attribute; the 1.1 taxonomy
 * file (with a vocabulary column) holds terms. A 3.0 row passes through unchanged.
 */
export function adaptLegacyRecord(
  table: HsdsTable | AliasedTable,
  row: Row,
  header: string[],
): SourceRecord[] {
  const values = { ...row.values };
  const own = (t: HsdsTable): SourceRecord => ({ table: t, file: row.file, row: row.row, values });
  switch (table) {
    case 'organization':
      if ('url' in values && !('website' in values)) {
        values.website = values.url ?? null;
        delete values.url;
      }
      return [own('organization')];
    case 'service': {
      const record = own('service');
      if (!('location_id' in values)) return [record];
      const locationId = values.location_id?.trim();
      delete values.location_id;
      const serviceId = values.id?.trim();
      if (!locationId || !serviceId) return [record];
      const derived: SourceRecord = {
        table: 'service_at_location',
        file: row.file,
        row: row.row,
        values: {
          id: derivedId('sal', serviceId, locationId),
          service_id: serviceId,
          location_id: locationId,
        },
        derivedFrom: record,
        reportAs: 'service_at_location (services.location_id)',
      };
      return [record, derived];
    }
    case 'phone': {
      const record = own('phone');
      if (!('language' in values)) return [record];
      const given = values.language;
      delete values.language;
      const phoneId = values.id?.trim();
      if (!given || !phoneId) return [record];
      const languages = given
        .split(/[,;/]/)
        .map((l) => l.trim())
        .filter(Boolean)
        .map((language): SourceRecord => {
          const isCode = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(language);
          const code = isCode ? language.toLowerCase() : null;
          return {
            table: 'language',
            file: row.file,
            row: row.row,
            values: {
              id: derivedId('phone-language', phoneId, language.toLowerCase()),
              phone_id: phoneId,
              code,
              name: code ? languageName(code) : language,
            },
            derivedFrom: record,
            reportAs: 'language (phones.language)',
          };
        });
      return [record, ...languages];
    }
    case 'physical_address':
    case 'postal_address':
      values.address_type ??= table === 'physical_address' ? 'physical' : 'postal';
      return [own('address')];
    case 'regular_schedule': {
      const weekday = values.weekday?.trim();
      delete values.weekday;
      if (weekday) values.byday = dayCode(weekday) ?? weekday;
      values.freq ??= 'WEEKLY';
      return [own('schedule')];
    }
    case 'service_taxonomy':
      return [
        {
          table: 'attribute',
          file: row.file,
          row: row.row,
          values: {
            id: values.id ?? null,
            link_id: values.service_id ?? null,
            link_entity: 'service',
            taxonomy_term_id: values.taxonomy_id ?? null,
            value: values.taxonomy_detail ?? null,
          },
        },
      ];
    case 'taxonomy':
      if (header.includes('vocabulary') || header.includes('parent_name')) {
        if ('vocabulary' in values) {
          values.taxonomy = values.vocabulary ?? null;
          delete values.vocabulary;
        }
        return [own('taxonomy_term')];
      }
      return [own('taxonomy')];
    default:
      return [own(table)];
  }
}

/** MO…SU from 1–7 (Monday first) or a day's English name. */
function dayCode(weekday: string): string | null {
  if (/^[1-7]$/.test(weekday)) return WEEKDAYS[Number(weekday) - 1]!;
  const prefix = weekday.slice(0, 2).toUpperCase();
  return WEEKDAYS.includes(prefix) && /^[a-z]+$/i.test(weekday) ? prefix : null;
}
