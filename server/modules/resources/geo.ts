import zipcodes from 'zipcodes';
import type { LatLng } from '../../../domain/geo.ts';

/**
 * Geocoding for directory search from the table of US ZIP code centroids that ships in the `zipcodes`
 * package: no outside service, and a ZIP is as precise as a worker needs to rank by distance.
 */

export interface ZipCentroid extends LatLng {
  zip: string;
  /** "Boston, MA" */
  label: string;
}

/** The first five digits of a ZIP or ZIP+4; null when there are not five. */
export function zip5(postalCode: string | null | undefined): string | null {
  const m = /^\s*(\d{5})(?:-?\d{4})?\s*$/.exec(postalCode ?? '');
  return m ? m[1]! : null;
}

let areas: Map<string, ZipCentroid> | undefined;

/** The mean of the centroids of the ZIP codes that share the first three digits (a sectional centre). */
function areaCentroid(zip: string): ZipCentroid | null {
  if (!areas) {
    const sums = new Map<string, { lat: number; lng: number; n: number; state: string }>();
    for (const code of Object.values(zipcodes.codes)) {
      if (!Number.isFinite(code.latitude) || !Number.isFinite(code.longitude) || code.country !== 'US')
        continue;
      const key = String(code.zip).slice(0, 3);
      const sum = sums.get(key) ?? { lat: 0, lng: 0, n: 0, state: code.state };
      sum.lat += code.latitude;
      sum.lng += code.longitude;
      sum.n += 1;
      sums.set(key, sum);
    }
    areas = new Map(
      [...sums].map(([key, s]) => [
        key,
        { zip: key, latitude: s.lat / s.n, longitude: s.lng / s.n, label: `${key}xx, ${s.state}` },
      ]),
    );
  }
  const area = areas.get(zip.slice(0, 3));
  return area ? { ...area, zip } : null;
}

/**
 * The centroid of a US ZIP code; a ZIP the table does not hold (new, or a post-office box) falls back to the
 * area of its first three digits; null when neither is known.
 */
export function zipCentroid(postalCode: string | null | undefined): ZipCentroid | null {
  const zip = zip5(postalCode);
  if (!zip) return null;
  const found = zipcodes.lookup(zip);
  if (!found || !Number.isFinite(found.latitude) || !Number.isFinite(found.longitude))
    return areaCentroid(zip);
  return {
    zip,
    latitude: found.latitude,
    longitude: found.longitude,
    label: `${found.city}, ${found.state}`,
  };
}

/** Centroids of many ZIP codes at once (those the table holds). */
export function zipCentroids(postalCodes: Iterable<string | null | undefined>): Map<string, ZipCentroid> {
  const out = new Map<string, ZipCentroid>();
  for (const code of postalCodes) {
    const zip = zip5(code);
    if (!zip || out.has(zip)) continue;
    const c = zipCentroid(zip);
    if (c) out.set(zip, c);
  }
  return out;
}

/** Where to measure a patient's distance from: the ZIP of their recorded address. */
export function patientOrigin(
  address: { postalCode?: string | null } | null | undefined,
): ZipCentroid | null {
  return zipCentroid(address?.postalCode);
}
