import 'reflect-metadata';
import { runApp } from '@revgate/platform';
import { crmApp } from './crm.app';

void runApp(crmApp);
