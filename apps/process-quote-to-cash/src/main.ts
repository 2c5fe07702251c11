import 'reflect-metadata';
import { runApp } from '@revgate/platform';
import { q2cApp } from './q2c.app';

void runApp(q2cApp);
