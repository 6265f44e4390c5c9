/**
 * The department's public site (issue 7): the pages it has and the text each starts with. Admins rewrite any
 * page (its title, summary, markdown body, place and whether it is published); a stored page replaces its
 * default, and an unpublished page is hidden from the public. Public information only: nothing about any
 * patient. Pure data: no I/O.
 */

/** The eight services of the department, each with its own page, in the order the home page shows them. */
export const SERVICE_PAGE_SLUGS = [
  'assessment',
  'counseling',
  'resource-coordination',
  'advance-care-planning',
  'crisis-intervention',
  'patient-advocacy',
  'discharge-planning',
  'supportive-services',
] as const;
export type ServicePageSlug = (typeof SERVICE_PAGE_SLUGS)[number];

/** Every page an admin can edit: the services, how to ask for a social worker, and contacts and hours. */
export const SITE_PAGE_SLUGS = [...SERVICE_PAGE_SLUGS, 'request', 'contact'] as const;
export type SitePageSlug = (typeof SITE_PAGE_SLUGS)[number];

/** A service page, or one of the two pages every visitor needs (`request`, `contact`). */
export type SitePageKind = 'service' | 'request' | 'contact';

/** A page's content as the public site shows it. */
export interface SitePageContent {
  slug: SitePageSlug;
  title: string;
  /** One or two sentences: the service's card on the home page and the page's description. */
  summary: string;
  /** CommonMark without raw HTML (server/platform/markdown.ts renders and sanitises it). */
  bodyMarkdown: string;
  /** Order on the home page (services) and in lists. */
  position: number;
  published: boolean;
}

/** A page as stored by an admin (site_pages). */
export interface StoredSitePage extends Omit<SitePageContent, 'slug'> {
  slug: string;
  version: number;
  updatedAt: Date | string;
}

/** A page with where its content comes from: the default text (version 0) or an admin's saved version. */
export interface SitePage extends SitePageContent {
  kind: SitePageKind;
  /** 0 until an admin saves the page; then the stored row's version. */
  version: number;
  customized: boolean;
  updatedAt: string | null;
}

/** Limits of an admin's edit (domain/schemas/site.ts checks them). */
export const SITE_PAGE_LIMITS = { title: 120, summary: 300, body: 50_000, position: 1000 } as const;

/** The words that open the home page, below the department's name. */
export const SITE_WELCOME =
  'Our social workers help patients and families with the personal, practical and money worries that come with illness and a hospital stay. Our services are free for patients of the hospital and their families.';

const HOW_TO_GET_IT =
  '**How to get it:** ask your nurse or doctor to ask for a social worker, or contact our department yourself. There is no charge.';

/** The text every page starts with: plain language, for patients, families and community partners. */
export const DEFAULT_SITE_PAGES: Record<SitePageSlug, SitePageContent> = {
  assessment: {
    slug: 'assessment',
    title: 'Psychosocial assessment',
    summary:
      'A conversation with a social worker about your life outside the hospital, so that we can plan the help you need during and after your stay.',
    bodyMarkdown: `A hospital stay can affect much more than your health. A social worker meets with you, and with your family if you wish, to talk about your home, the people who help you, money and insurance, work, how you are feeling, and anything that could make getting better harder.

This is for any patient of the hospital, and for the family and friends who care for them. We may also ask a few short questions about food, housing, transport and safety. You can skip any question you do not want to answer.

What you tell us helps us plan your care and your discharge with you, and connect you with services in your community. It is kept in your medical record, where only the people caring for you can read it.

${HOW_TO_GET_IT}`,
    position: 10,
    published: true,
  },
  counseling: {
    slug: 'counseling',
    title: 'Counseling and emotional support',
    summary:
      'Short-term support for patients and families coping with illness, injury, loss or a hard decision.',
    bodyMarkdown: `Illness and hospital stays can bring worry, sadness, anger and grief. Our social workers offer short-term counseling to help you and your family cope, talk through difficult news, and make decisions that fit what matters most to you.

Counseling is for patients of any age and for their family members and caregivers. We can meet at the bedside, in a private room, or talk by phone.

If you would like support for longer, we help you find a counselor, therapist or support group near your home that takes your insurance.

${HOW_TO_GET_IT}`,
    position: 20,
    published: true,
  },
  'resource-coordination': {
    slug: 'resource-coordination',
    title: 'Community resources',
    summary:
      'Help finding and applying for services near home: food, housing, transport, home care, benefits and more.',
    bodyMarkdown: `Getting better is harder without enough food, a safe place to live, a ride to appointments or help at home. We know the community agencies around the hospital and what each one offers.

A social worker can find the right services with you, explain who can use them, help with applications for benefits such as food assistance or health insurance, and send a referral for you. We then check that the help reached you.

You can also look for services yourself on the **Resources** page of this site: search by need, by ZIP code, by language, and for services that are free or open now.

${HOW_TO_GET_IT}`,
    position: 30,
    published: true,
  },
  'advance-care-planning': {
    slug: 'advance-care-planning',
    title: 'Advance care planning',
    summary:
      'Help thinking about, talking about and writing down the care you would want if you could not speak for yourself.',
    bodyMarkdown: `Advance care planning means deciding ahead of time what kind of medical care you would want if you became too ill to tell us yourself, and who should speak for you. It is useful at any age, not only when someone is very ill.

A social worker can help you think about what matters to you, talk with your family, and choose a health care agent (sometimes called a health care proxy). We explain the forms used in our state, such as an advance directive, help you fill them in, and make sure copies reach your medical record.

You can change your mind and update your wishes at any time. The forms are free.

${HOW_TO_GET_IT}`,
    position: 40,
    published: true,
  },
  'crisis-intervention': {
    slug: 'crisis-intervention',
    title: 'Crisis intervention',
    summary:
      'Immediate support when something sudden and serious happens: a traumatic injury, a death, violence, or a worry about safety.',
    bodyMarkdown: `**If you or someone else is in danger right now, call 911.** For a mental health crisis, call or text **988**, the Suicide and Crisis Lifeline, at any hour.

When something sudden and serious happens, such as a traumatic injury, the death of a loved one, violence at home, or a worry about a child's or an older adult's safety, a social worker comes quickly to support the patient and family.

We help you through the first hours: we listen, help you understand what is happening, make sure you are safe, contact the people you need, and connect you with ongoing help. Social workers are available in the hospital, including in the Emergency Department.

**How to get it:** ask any nurse or doctor to call a social worker now.`,
    position: 50,
    published: true,
  },
  'patient-advocacy': {
    slug: 'patient-advocacy',
    title: 'Patient advocacy',
    summary:
      'Help making your voice heard: understanding your rights, raising a concern, and getting the services you are entitled to.',
    bodyMarkdown: `Hospitals and health insurance can be hard to find your way through. A social worker can explain your rights as a patient, help you ask questions of your care team, and make sure your wishes and needs are heard.

We can help you get a free interpreter, understand a bill or an insurance decision, appeal when coverage is denied, and reach the right person when you have a concern about your care.

We also help when a patient cannot make decisions alone, by working with family members, a health care agent or a guardian.

${HOW_TO_GET_IT}`,
    position: 60,
    published: true,
  },
  'discharge-planning': {
    slug: 'discharge-planning',
    title: 'Discharge planning',
    summary:
      'Planning with you, from the first days of your stay, for a safe return home or a move to the right place of care.',
    bodyMarkdown: `Leaving the hospital goes best when it is planned early. From the first days of your stay, a social worker or case manager works with you, your family and your care team on where you will go next and what help you will need there.

That may be going home with home health care, medical equipment, meals or a caregiver; or moving for a while to a rehabilitation hospital or a skilled nursing facility. When you need such a place, we give you a list of those that can meet your needs and take your insurance, and you choose.

We also help with transport home, with the questions your insurance will ask, and with follow-up appointments. If something does not work out after you leave, call us.

${HOW_TO_GET_IT}`,
    position: 70,
    published: true,
  },
  'supportive-services': {
    slug: 'supportive-services',
    title: 'Support groups and practical help',
    summary:
      'Support groups, caregiver support and practical help for patients and families during and after a hospital stay.',
    bodyMarkdown: `Nobody should face a serious illness alone. We run and recommend support groups for patients, caregivers and people who are grieving, in person and online.

Caregivers can get advice, training and information about respite, so that they can look after themselves too.

We can also help with practical matters during a stay: lodging for family from out of town, parking and travel costs, clothing, phone chargers, and help with everyday bills when illness has left money short.

${HOW_TO_GET_IT}`,
    position: 80,
    published: true,
  },
  request: {
    slug: 'request',
    title: 'How to ask for a social worker',
    summary:
      'Anyone can ask for a social worker: patients, family members, caregivers, and the professionals who work with them.',
    bodyMarkdown: `## If you are in the hospital

Ask your nurse or doctor. They will send a request to our department, and a social worker will come to see you. This is usually the quickest way.

## By phone

Patients, family members, caregivers and community agencies can call our department. You will find our phone numbers and hours on the **Contacts and hours** page. If we cannot answer, leave a message with your name, a phone number, and the patient's name, and we will call you back.

## In person

You can come to our office during office hours. If you are visiting a patient, the nurses on the unit can also call a social worker for you.

## What happens next

A social worker will contact you, introduce themselves, and listen to what you need. Together you agree on what to do next. Urgent needs are seen the same day. You do not need a referral, there is no charge, and a free interpreter is available in your language.`,
    position: 90,
    published: true,
  },
  contact: {
    slug: 'contact',
    title: 'Contacts and hours',
    summary: 'How to reach the social work department, and when we are open.',
    bodyMarkdown: `> **To the site's administrator:** replace this text with the department's phone numbers, office location and hours (Admin → Public site). Until then, visitors are asked to call the hospital's main number.

- **Social work department:** call the hospital's main number and ask for Social Work.
- **Office hours:** to be added (for example, Monday to Friday, 8 AM to 5 PM).
- **Evenings, nights and weekends:** if you are in the hospital, ask your nurse to contact the social worker on call.
- **Emergencies:** call **911**. For a mental health crisis, call or text **988**.`,
    position: 100,
    published: true,
  },
};

/** Whether a slug names one of the site's pages. */
export const isSitePageSlug = (slug: string): slug is SitePageSlug =>
  (SITE_PAGE_SLUGS as readonly string[]).includes(slug);

/** What kind of page a slug is. */
export const sitePageKind = (slug: SitePageSlug): SitePageKind =>
  slug === 'request' || slug === 'contact' ? slug : 'service';

/** Every page: the stored version where an admin saved one, else the default; in position order. */
export function mergeSitePages(stored: readonly StoredSitePage[]): SitePage[] {
  const bySlug = new Map(stored.map((s) => [s.slug.toLowerCase(), s]));
  return SITE_PAGE_SLUGS.map((slug): SitePage => {
    const saved = bySlug.get(slug);
    const base = DEFAULT_SITE_PAGES[slug];
    if (!saved) return { ...base, kind: sitePageKind(slug), version: 0, customized: false, updatedAt: null };
    return {
      slug,
      kind: sitePageKind(slug),
      title: saved.title,
      summary: saved.summary,
      bodyMarkdown: saved.bodyMarkdown,
      position: saved.position,
      published: saved.published,
      version: saved.version,
      customized: true,
      updatedAt: new Date(saved.updatedAt).toISOString(),
    };
  }).sort(
    (a, b) => a.position - b.position || SITE_PAGE_SLUGS.indexOf(a.slug) - SITE_PAGE_SLUGS.indexOf(b.slug),
  );
}
