import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { ISSUE_IMAGE_MAX_BYTES, ISSUE_IMAGE_TYPES, type IssueImageType } from '../../../domain/newsletter.ts';
import type { NewsletterImageUploaded } from '../../../domain/schemas/newsletter.ts';
import type { Db } from '../../db/client.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { invalid } from '../../platform/errors.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { siteBase } from '../site/layout.ts';
import { auditNewsletter as audit } from './newsletter.audit.ts';
import { newsletterImages } from './newsletter.tables.ts';

/*
 * Images for newsletter issues: an admin uploads one, gets its address on the public site, and writes it in
 * the issue's markdown. Mail clients load it from there, so it is public, like the issue itself. Only PNG,
 * JPEG, GIF and WebP are taken, and only when the first bytes say so (the declared type alone is not
 * trusted); never SVG, which can carry script.
 */

/** The type the bytes really are, from their signature, or null. */
export function sniffImageType(bytes: Uint8Array): IssueImageType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const ascii = (at: number, text: string) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  return null;
}

export const imagePath = (organizationSlug: string, imageId: string) =>
  `${siteBase(organizationSlug)}/newsletter/images/${imageId}`;

/** Keeps an uploaded image (once per content) and says where it is served. */
export async function storeImage(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  declaredType: string,
  bytes: Buffer,
): Promise<NewsletterImageUploaded> {
  if (bytes.length === 0) throw invalid([{ field: 'body', message: 'is empty: send the image itself' }]);
  if (bytes.length > ISSUE_IMAGE_MAX_BYTES) {
    throw invalid([{ field: 'body', message: `must be at most ${ISSUE_IMAGE_MAX_BYTES} bytes` }]);
  }
  const type = sniffImageType(bytes);
  if (!type || type !== declaredType) {
    throw invalid([
      {
        field: 'body',
        message: `must be a ${ISSUE_IMAGE_TYPES.join(', ')} image whose Content-Type matches its contents`,
      },
    ]);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return db.transaction(async (tx) => {
    await tx
      .insert(newsletterImages)
      .values({
        organizationId: actor.organizationId,
        contentType: type,
        data: bytes,
        byteSize: bytes.length,
        sha256,
        createdBy: actor.userId,
      })
      .onConflictDoNothing();
    const [image] = await tx
      .select({ id: newsletterImages.id, slug: organizations.slug })
      .from(newsletterImages)
      .innerJoin(organizations, eq(organizations.id, newsletterImages.organizationId))
      .where(
        and(eq(newsletterImages.organizationId, actor.organizationId), eq(newsletterImages.sha256, sha256)),
      );
    await audit(tx, actor, origin, {
      action: 'newsletter.image.upload',
      recordKind: 'newsletter_image',
      recordId: image!.id,
      detail: { contentType: type, bytes: bytes.length },
    });
    return { id: image!.id, url: imagePath(image!.slug, image!.id), contentType: type, bytes: bytes.length };
  });
}

/** An organisation's image as the public site serves it, or null. */
export async function publicImage(db: Db, organizationSlug: string, imageId: string) {
  const [image] = await db
    .select({
      contentType: newsletterImages.contentType,
      data: newsletterImages.data,
      sha256: newsletterImages.sha256,
    })
    .from(newsletterImages)
    .innerJoin(organizations, eq(organizations.id, newsletterImages.organizationId))
    .where(and(eq(newsletterImages.id, imageId), eq(organizations.slug, organizationSlug)));
  return image ?? null;
}
