import 'reflect-metadata';
import { runApp } from '@revgate/platform';
import { billingApp } from './billing.app';

void runApp(billingApp);
