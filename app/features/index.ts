// Every service of the department registers itself here, one line each, in any order:
// the navigation sorts them by SECTION_ORDER in nav.ts.
import './patients/index.tsx';
import './admin/index.tsx';
