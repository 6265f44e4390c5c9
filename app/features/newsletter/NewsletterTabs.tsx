import { NavLink } from 'react-router';
import classes from './newsletter.module.css';

const SECTIONS = [
  { to: '/admin/newsletter', label: 'Subscribers', end: true },
  { to: '/admin/newsletter/issues', label: 'Issues', end: false },
  { to: '/admin/newsletter/outbox', label: 'Outbox', end: false },
] as const;

/** The newsletter's sections, each at its own address; the current one is marked `aria-current="page"`. */
export function NewsletterTabs() {
  return (
    <nav aria-label="Newsletter sections" className={classes.tabs}>
      {SECTIONS.map((s) => (
        <NavLink key={s.to} to={s.to} end={s.end} className={classes.tab}>
          {s.label}
        </NavLink>
      ))}
    </nav>
  );
}
