import 'reflect-metadata';
import { runApp } from '@revgate/platform';
import { portalApp } from './portal.app';

void runApp(portalApp);
