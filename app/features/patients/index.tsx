import { IconUsers } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { PatientCreatePage } from './PatientCreatePage.tsx';
import { PatientListPage } from './PatientListPage.tsx';
import { PatientPage } from './PatientPage.tsx';

registerFeature({
  id: 'patients',
  label: 'Patients',
  path: '/patients',
  icon: IconUsers,
  section: 'patients',
  routes: [
    { path: 'patients', element: <PatientListPage /> },
    { path: 'patients/new', element: <PatientCreatePage /> },
    { path: 'patients/:patientId', element: <PatientPage /> },
  ],
});
