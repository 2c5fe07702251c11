import 'reflect-metadata';
import { runApp } from '@revgate/platform';
import { taxApp } from './tax.app';

void runApp(taxApp);
