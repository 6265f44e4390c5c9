// Every service of the department registers itself here, one line each. The navigation sorts them by
// SECTION_ORDER in nav.ts; within a section they keep the order of these imports.
import './worklist/index.tsx';
import './cases/index.tsx';
import './tasks/index.tsx';
import './notifications/index.tsx';
import './patients/index.tsx';
import './chart/index.tsx';
import './messages/index.tsx';
import './family/index.tsx';
import './flags/index.tsx';
import './assessments/index.tsx';
import './needs/index.tsx';
import './resources/index.tsx';
import './referrals/index.tsx';
import './reports/index.tsx';
import './encounters/index.tsx';
import './discharge/index.tsx';
import './placement/index.tsx';
import './hl7/index.tsx';
import './site/index.tsx';
import './newsletter/index.tsx';
import './admin/index.tsx';
