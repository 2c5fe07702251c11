import 'reflect-metadata';
import { runApp } from '@revgate/platform';
import { erpApp } from './erp.app';

void runApp(erpApp);
