import 'reflect-metadata';
import { runApp } from '@revgate/platform';
import { u2rApp } from './u2r.app';

void runApp(u2rApp);
