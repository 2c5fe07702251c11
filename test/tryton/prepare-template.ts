/**
 * Installs Tryton when missing and builds the ready template database the Tryton tests copy
 * (test/tryton/tryton-server.ts), so that CI times and reports this step on its own:
 *
 *   scripts/run-ts.sh test/tryton/prepare-template.ts        (TRYTON_TEST_BACKEND=sqlite|postgresql)
 */
import { ensureTemplate } from './tryton-server';

ensureTemplate()
  .then((info) => {
    console.log(
      `[tryton] template ${info.built ? 'built' : 'ready'} (${info.backend}) in ${info.seconds.toFixed(1)}s: ${info.template}`,
    );
  })
  .catch((error: unknown) => {
    console.error('[tryton] cannot prepare the template:', error);
    process.exit(1);
  });
