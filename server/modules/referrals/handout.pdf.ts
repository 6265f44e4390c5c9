import PDFDocument from 'pdfkit';
import { HANDOUT_LABELS } from '../../../domain/handout.ts';
import type { Handout, HandoutService } from '../../../domain/schemas/handout.ts';

/** Characters of Windows-1252 above Latin-1's printable range that the standard PDF fonts also draw. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the standard fonts can draw: they are encoded as WinAnsi (Latin-1 and a few more), which covers
 * English and Spanish (á é í ó ú ü ñ ¿ ¡). Anything else is drawn without its accent when it has one,
 * else as "?", rather than as a wrong glyph.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (
      ch === '\n' ||
      (code >= 0x20 && code <= 0x7e) ||
      (code >= 0xa0 && code <= 0xff) ||
      WIN_ANSI_EXTRA.has(ch)
    ) {
      out += code === 0xa0 ? ' ' : ch;
    } else if (code === 0x202f || code === 0x2009 || code === 0x2007) {
      out += ' ';
    } else if (code === 0x2010 || code === 0x2011) {
      out += '-';
    } else {
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += base && base !== ch && [...base].every((c) => c.charCodeAt(0) <= 0xff) ? base : '?';
    }
  }
  return out;
}

const MARGIN = 54;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';

type Doc = PDFKit.PDFDocument;

function labelled(doc: Doc, label: string, value: string) {
  doc
    .font(BOLD)
    .text(`${toWinAnsi(label)}: `, { continued: true })
    .font(FONT)
    .text(toWinAnsi(value));
}

function list(doc: Doc, label: string, lines: string[]) {
  doc.font(BOLD).text(`${toWinAnsi(label)}:`);
  doc.font(FONT);
  for (const line of lines) doc.text(`•  ${toWinAnsi(line)}`, { indent: 10 });
}

function serviceBlock(doc: Doc, handout: Handout, service: HandoutService) {
  const t = HANDOUT_LABELS[handout.language];
  doc.font(BOLD).fontSize(14).text(toWinAnsi(service.name));
  doc.fontSize(11);
  labelled(doc, t.offeredBy, service.organization);
  if (service.status !== 'active') {
    doc
      .font(BOLD)
      .text(toWinAnsi(service.status === 'temporarily closed' ? t.temporarilyClosed : t.mayHaveClosed));
  }
  for (const place of service.places) {
    doc.moveDown(0.3);
    if (service.places.length > 1 && place.name) labelled(doc, t.location, place.name);
    labelled(doc, t.address, place.address ?? t.noAddress);
    if (place.phones.length) labelled(doc, t.phone, place.phones.join('  ·  '));
    if (place.hours.length) list(doc, t.hours, place.hours);
    else labelled(doc, t.hours, t.callForHours);
  }
  if (service.morePlaces > 0) doc.font(FONT).text(toWinAnsi(t.moreLocations(service.morePlaces)));
  doc.moveDown(0.3);
  if (service.requiredDocuments.length) list(doc, t.whatToBring, service.requiredDocuments);
  else labelled(doc, t.whatToBring, t.nothingToBring);
  if (service.applicationProcess) labelled(doc, t.howToApply, service.applicationProcess);
  if (service.fees) labelled(doc, t.cost, service.fees);
  if (service.url) labelled(doc, t.website, service.url);
  if (service.email) labelled(doc, t.email, service.email);
}

/** Draws a service's block on a scratch page to measure it, so that a block starts a page when it won't fit. */
function blockHeight(handout: Handout, service: HandoutService): number {
  const scratch = new PDFDocument({ size: 'LETTER', margin: MARGIN, autoFirstPage: true });
  serviceBlock(scratch, handout, service);
  const height = scratch.y - MARGIN;
  scratch.end();
  return height;
}

/**
 * The handout as a PDF (US Letter): the heading, the patient and date, who to contact, then one block per
 * service; a service starts on a new page rather than break across two when it fits on one. `compress: false`
 * leaves the text readable in the file (tests).
 */
export function renderHandoutPdf(handout: Handout, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const t = HANDOUT_LABELS[handout.language];
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    bufferPages: true,
    compress: opts.compress ?? true,
    lang: handout.language,
    displayTitle: true,
    info: { Title: toWinAnsi(handout.title), Author: toWinAnsi(handout.department) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font(BOLD).fontSize(20).text(toWinAnsi(handout.title));
  doc.font(FONT).fontSize(11).moveDown(0.3);
  labelled(doc, t.preparedFor, handout.preparedFor);
  labelled(doc, t.date, handout.preparedOnText);
  doc.moveDown(0.5).text(toWinAnsi(t.intro));
  doc.moveDown(0.5);
  doc.font(BOLD).text(toWinAnsi(`${t.questions}:`));
  doc.font(FONT).text(toWinAnsi(`${handout.socialWorker.name}, ${handout.socialWorker.email}`));
  labelled(doc, t.department, handout.department);
  const bottom = doc.page.height - MARGIN;

  for (const service of handout.services) {
    doc.moveDown(1);
    const rule = doc.y;
    if (rule + blockHeight(handout, service) + 12 > bottom && rule > MARGIN + 100) doc.addPage();
    else
      doc
        .moveTo(MARGIN, rule)
        .lineTo(doc.page.width - MARGIN, rule)
        .strokeColor('#000')
        .stroke()
        .moveDown(0.6);
    serviceBlock(doc, handout, service);
  }

  // Page numbers in the bottom margin: drawing there must not start a new page.
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    doc
      .font(FONT)
      .fontSize(9)
      .text(`${toWinAnsi(t.page)} ${i + 1} / ${pages.count}`, MARGIN, doc.page.height - MARGIN + 18, {
        width: doc.page.width - 2 * MARGIN,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins = margins;
  }
  doc.end();
  return done;
}
