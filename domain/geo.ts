/** Distances on the Earth for directory search: great-circle miles and the box that holds a radius. */

export interface LatLng {
  latitude: number;
  longitude: number;
}

/** Mean radius of the Earth in miles (IUGG). */
export const EARTH_RADIUS_MILES = 3958.8;
const MILES_PER_DEGREE_LATITUDE = (Math.PI * EARTH_RADIUS_MILES) / 180;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in miles between two points (haversine formula). */
export function haversineMiles(a: LatLng, b: LatLng): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLng = rad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface BoundingBox {
  minLatitude: number;
  maxLatitude: number;
  minLongitude: number;
  maxLongitude: number;
}

/**
 * The latitude/longitude box that holds every point within `miles` of a centre: an index can read the box,
 * and the exact distance then drops its corners. Near a pole (or past the antimeridian) the box spans every
 * longitude.
 */
export function boundingBox(center: LatLng, miles: number): BoundingBox {
  const dLat = miles / MILES_PER_DEGREE_LATITUDE;
  const minLatitude = Math.max(-90, center.latitude - dLat);
  const maxLatitude = Math.min(90, center.latitude + dLat);
  const widest = Math.max(Math.abs(minLatitude), Math.abs(maxLatitude));
  const cos = Math.cos(rad(widest));
  const dLng = cos > 1e-9 ? miles / (MILES_PER_DEGREE_LATITUDE * cos) : 360;
  if (dLng >= 180 || center.longitude - dLng < -180 || center.longitude + dLng > 180) {
    return { minLatitude, maxLatitude, minLongitude: -180, maxLongitude: 180 };
  }
  return {
    minLatitude,
    maxLatitude,
    minLongitude: center.longitude - dLng,
    maxLongitude: center.longitude + dLng,
  };
}
