import { IconUsers } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import './chart-tabs.tsx';
import { PatientCreatePage } from './PatientCreatePage.tsx';
import { PatientListPage } from './PatientListPage.tsx';
import { PatientPage } from './PatientPage.tsx';

registerFeature({
  id: 'patients',
  label: 'Patients',
  path: '/patients',
  icon: IconUsers,
  section: 'patients',
  // Community partners see only what referrals share with them, never the patient list.
  roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'],
  homeFor: ['clinician', 'read_only'],
  routes: [
    { path: 'patients', element: <PatientListPage /> },
    { path: 'patients/new', element: <PatientCreatePage /> },
    { path: 'patients/:patientId/*', element: <PatientPage /> },
  ],
});
