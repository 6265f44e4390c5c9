import { describe, expect, it } from 'vitest';
import { boundingBox, haversineMiles } from './geo.ts';

const bostonCommon = { latitude: 42.355, longitude: -71.0656 };
const worcester = { latitude: 42.2626, longitude: -71.8023 };

describe('distance for directory search', () => {
  it('measures great-circle miles', () => {
    expect(haversineMiles(bostonCommon, bostonCommon)).toBe(0);
    // Boston to Worcester is about 38 miles as the crow flies.
    expect(haversineMiles(bostonCommon, worcester)).toBeCloseTo(38.0, 0);
    expect(haversineMiles(worcester, bostonCommon)).toBeCloseTo(haversineMiles(bostonCommon, worcester), 9);
    // A degree of latitude is about 69.1 miles.
    expect(haversineMiles({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 })).toBeCloseTo(
      69.09,
      1,
    );
  });

  it('boxes a radius so that points just inside are in the box and the corners are farther', () => {
    const box = boundingBox(bostonCommon, 10);
    const north = { latitude: box.maxLatitude - 1e-6, longitude: bostonCommon.longitude };
    const east = { latitude: bostonCommon.latitude, longitude: box.maxLongitude - 1e-6 };
    expect(haversineMiles(bostonCommon, north)).toBeLessThanOrEqual(10);
    expect(haversineMiles(bostonCommon, north)).toBeGreaterThan(9.99);
    expect(haversineMiles(bostonCommon, east)).toBeGreaterThan(9.9);
    expect(
      haversineMiles(bostonCommon, { latitude: box.maxLatitude, longitude: box.maxLongitude }),
    ).toBeGreaterThan(10);
    expect(box.minLatitude).toBeLessThan(bostonCommon.latitude);
    expect(box.minLongitude).toBeLessThan(bostonCommon.longitude);
  });

  it('spans every longitude near a pole or across the antimeridian', () => {
    expect(boundingBox({ latitude: 89.99, longitude: 10 }, 50)).toMatchObject({
      minLongitude: -180,
      maxLongitude: 180,
    });
    expect(boundingBox({ latitude: 0, longitude: 179.99 }, 50)).toMatchObject({
      minLongitude: -180,
      maxLongitude: 180,
    });
  });
});
